package org.careloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.careloop.store.Database;
import org.careloop.store.Durability;
import org.careloop.testing.EngineTest;
import org.careloop.testing.Samples;
import org.junit.jupiter.api.Test;

/** At durability=power every group commit is forced to disk before the ACK; the intake behaves the same. */
class PowerDurabilityTest extends EngineTest {

    @Override
    protected Map<String, String> properties() {
        return Map.of("careloop.store.durability", "power", "careloop.hl7.unhandled-type-ack", "AR");
    }

    @Test
    void acknowledgesAfterASyncedCommit() throws Exception {
        assertThat(engine.bean("careloopStore", Database.class).durability()).isEqualTo(Durability.POWER);

        assertThat(send(Samples.bytes("epic-siu-s12-v23.hl7")).code()).isEqualTo("AA");

        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isEqualTo(1);
    }

    @Test
    void unhandledTypesCanBeRefusedWithAr() throws Exception {
        var ack = send(Samples.bytes("invalid/mfn-m02-unhandled.hl7"));

        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.errSegments()).containsExactly(
                "ERR||MSH^1^9|200^Unsupported message type^HL70357|E||||MFN\\S\\M02 is not a message type CareLoop handles");
        assertThat(count("SELECT COUNT(*) FROM hl7_journal")).isZero();
        assertThat(count("SELECT COUNT(*) FROM hl7_rejected WHERE ack_code = 'AR'")).isEqualTo(1);
    }
}
