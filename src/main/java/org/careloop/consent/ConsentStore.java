package org.careloop.consent;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.Upsert;
import org.careloop.store.Writes;
import org.careloop.whatsapp.outbox.PendingMessages;

/**
 * Consent per patient and number, with an audit trail that is only ever added to.
 *
 * <p>An opt-out of a number applies to every patient on it (a family sharing a phone) and suppresses at once every
 * business-initiated message still planned for it. An opt-in lets messages that were held only for want of consent
 * go out again. Whatever the source (the API, a CSV import, an HL7 field, a reply), each change is recorded with it.
 */
public final class ConsentStore {

    private static final Upsert CONSENT = Upsert.into("consent", "patient_key, phone",
            "patient_key, phone, status, source, changed_at");

    /** A patient's consent for a number as it stands. */
    public record Consent(String patientKey, String phone, ConsentStatus status, String source, Instant changedAt) {
    }

    /** One recorded change. */
    public record Change(long id, String patientKey, String phone, ConsentStatus status, String source, String detail,
            Instant recordedAt) {
    }

    static final String NO_OPT_IN = "no opt-in on record for this number";

    private final GroupCommitWriter writer;
    private final DataSource dataSource;

    public ConsentStore(GroupCommitWriter writer, DataSource dataSource) {
        this.writer = writer;
        this.dataSource = dataSource;
    }

    public CompletableFuture<Void> record(String patientKey, String phone, ConsentStatus status, String source,
            String detail, Instant at) {
        return writer.submit(connection -> {
            record(connection, patientKey, phone, status, source, detail, at);
            return null;
        });
    }

    /**
     * Records a change in the caller's transaction. {@code patientKey} may be null for an opt-out of a number (a STOP
     * from a phone), which then applies to every patient on it.
     */
    public static void record(Connection connection, String patientKey, String phone, ConsentStatus status,
            String source, String detail, Instant at) throws SQLException {
        Writes.update(connection, "INSERT INTO consent_audit (patient_key, phone, status, source, detail, recorded_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", patientKey, phone, status.name(), source, detail, Timestamp.from(at));
        if (patientKey != null) {
            Writes.upsert(connection, CONSENT, patientKey, phone, status.name(), source,
                    Timestamp.from(at));
        }
        if (status == ConsentStatus.OPT_OUT) {
            Writes.update(connection, "UPDATE consent SET status = 'OPT_OUT', source = ?, changed_at = ? "
                    + "WHERE phone = ?", source, Timestamp.from(at), phone);
            PendingMessages.holdForNumber(connection, phone, "the patient opted out (" + source + ")", at);
        } else {
            PendingMessages.releaseHeld(connection, phone, patientKey, NO_OPT_IN, at);
        }
    }

    /** Whether this patient may get business-initiated messages on this number, in the caller's transaction. */
    public static boolean allows(Connection connection, String patientKey, String phone) throws SQLException {
        return Reads.first(connection, "SELECT status FROM consent WHERE patient_key = ? AND phone = ?",
                row -> row.getString(1), patientKey, phone).map(ConsentStatus.OPT_IN.name()::equals).orElse(false);
    }

    /** The reason a planned message is held when {@link #allows} says no. */
    public static String noOptIn() {
        return NO_OPT_IN;
    }

    /** Two records became one: the merged patient's consent goes to the surviving id; an opt-out there wins. */
    public static void merge(Connection connection, String fromKey, String toKey, Instant at) throws SQLException {
        for (Consent consent : Reads.list(connection, "SELECT patient_key, phone, status, source, changed_at FROM "
                + "consent WHERE patient_key = ?", ConsentStore::consent, fromKey)) {
            boolean optedOutThere = Reads.first(connection, "SELECT 1 FROM consent WHERE patient_key = ? AND phone = ? "
                    + "AND status = 'OPT_OUT'", row -> true, toKey, consent.phone()).isPresent();
            ConsentStatus status = optedOutThere ? ConsentStatus.OPT_OUT : consent.status();
            record(connection, toKey, consent.phone(), status, "merge", "merged from patient " + fromKey, at);
            Writes.update(connection, "DELETE FROM consent WHERE patient_key = ? AND phone = ?", fromKey,
                    consent.phone());
        }
    }

    public List<Consent> forPhone(String phone) throws SQLException {
        return Reads.list(dataSource, "SELECT patient_key, phone, status, source, changed_at FROM consent "
                + "WHERE phone = ? ORDER BY patient_key", ConsentStore::consent, phone);
    }

    public List<Change> history(String phone) throws SQLException {
        return Reads.list(dataSource, "SELECT id, patient_key, phone, status, source, detail, recorded_at "
                + "FROM consent_audit WHERE phone = ? ORDER BY id", row -> new Change(row.getLong(1), row.getString(2),
                row.getString(3), ConsentStatus.valueOf(row.getString(4)), row.getString(5), row.getString(6),
                row.getTimestamp(7).toInstant()), phone);
    }

    private static Consent consent(java.sql.ResultSet row) throws SQLException {
        return new Consent(row.getString(1), row.getString(2), ConsentStatus.valueOf(row.getString(3)),
                row.getString(4), row.getTimestamp(5).toInstant());
    }
}
