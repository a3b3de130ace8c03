package dev.streamtrain.launcher;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ACL table of the README's Security section, as Kafka ACL bindings by principal: one binding
 * per principal, resource name and operation of each row.
 */
final class ReadmeAcls {

    static final String HEADER = "| Principal | Resource | Pattern | Name | Operations |";

    private ReadmeAcls() {
    }

    static Map<String, List<AclBinding>> read() throws IOException {
        List<String> lines = Files.readAllLines(DeploymentFilesTest.repositoryRoot().resolve("README.md"));
        int header = lines.indexOf(HEADER);
        if (header < 0) {
            throw new IllegalStateException("README.md has no ACL table (" + HEADER + ")");
        }
        Map<String, List<AclBinding>> acls = new LinkedHashMap<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            String principal = unquoted(cells[0]);
            ResourceType type = SecurityUtils.resourceType(cells[1].strip());
            PatternType pattern = PatternType.fromString(cells[2].strip().toUpperCase(Locale.ROOT));
            for (String name : cells[3].split(",")) {
                for (String operation : cells[4].split(",")) {
                    AclOperation op = SecurityUtils.operation(operation.strip());
                    if (type == ResourceType.UNKNOWN || pattern == PatternType.UNKNOWN || op == AclOperation.UNKNOWN) {
                        throw new IllegalStateException("README.md ACL row not in Kafka's terms: " + line);
                    }
                    acls.computeIfAbsent(principal, p -> new ArrayList<>()).add(new AclBinding(
                            new ResourcePattern(type, unquoted(name), pattern),
                            new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
                }
            }
        }
        return acls;
    }

    /** {@code bindings} granted to {@code principal} instead. */
    static List<AclBinding> grantedTo(String principal, List<AclBinding> bindings) {
        return bindings.stream().map(b -> new AclBinding(b.pattern(), new AccessControlEntry(principal,
                b.entry().host(), b.entry().operation(), b.entry().permissionType()))).toList();
    }

    private static String unquoted(String cell) {
        return cell.strip().replace("`", "");
    }
}
