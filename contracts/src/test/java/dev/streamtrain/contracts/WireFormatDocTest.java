package dev.streamtrain.contracts;

import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.run.RunSpecJson;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.model.optim.Sgd;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples in docs/wire-format.md are what the code writes and reads. */
class WireFormatDocTest {

    /** Surefire runs tests in the module directory. */
    private static final Path DOC = Path.of("..", "docs", "wire-format.md");

    @Test
    void theRunSpecExampleIsWhatTheWriterWritesAndItsOlderFormsRead() throws IOException {
        String doc = Files.readString(DOC);
        String current = after(doc, "On the wire \\((\\d+) bytes\\):\n`([^`]+)`", 2);
        assertThat(current).isEqualTo(RunSpecJson.write(RunSpecFixture.spec()));
        assertThat(after(doc, "On the wire \\((\\d+) bytes\\):", 1))
                .isEqualTo(String.valueOf(current.getBytes(StandardCharsets.UTF_8).length));
        String v02 = after(doc, "reads as the spec above:\n`([^`]+)`", 1);
        String v01 = after(doc, "reads as the spec above too:\n`([^`]+)`", 1);
        assertThat(v02.getBytes(StandardCharsets.UTF_8)).hasSize(560);
        assertThat(RunSpecJson.read(v02)).isEqualTo(RunSpecFixture.spec());
        assertThat(RunSpecJson.read(v01)).isEqualTo(RunSpecFixture.spec());
    }

    @Test
    void theSnapshotExampleDecodes() throws IOException {
        String hex = after(Files.readString(DOC), "As one hex string \\(the 762 bytes, spec included\\):\n`([0-9a-f]+)`",
                1);
        WeightSnapshot snapshot = new WeightSnapshotDeserializer().deserialize("t", HexFormat.of().parseHex(hex));
        assertThat(snapshot.parametersSha256())
                .isEqualTo("d64ba4150c4fb4a5c8095e7fea6c838fb95f93ef675d81c042809c9003910f99");
        assertThat(snapshot.spec().optimizer()).isEqualTo(Sgd.of(0.001));
        assertThat(snapshot.trainLoss().mean()).isEqualTo(2.25);
        assertThat(snapshot.step()).isEqualTo(938);
    }

    private static String after(String doc, String regex, int group) {
        Matcher m = Pattern.compile(regex).matcher(doc);
        assertThat(m.find()).as("docs/wire-format.md has %s", regex).isTrue();
        return m.group(group);
    }
}
