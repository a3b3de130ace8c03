package dev.streamtrain.launcher.live;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventStreamTest {

    @Test
    void frameIsEventAndDataLinesThenABlankLine() {
        assertThat(EventStream.frame("update", "{\"t\":1.0}")).isEqualTo("event: update\ndata: {\"t\":1.0}\n\n");
    }

    @Test
    void dataWithALineBreakIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventStream.frame("update", "{\n}"))
                .withMessageContaining("line break");
        assertThatIllegalArgumentException().isThrownBy(() -> EventStream.frame("update", "{\r}"));
    }
}
