package org.careloop.whatsapp.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.careloop.store.GroupCommitWriter;
import org.careloop.store.Reads;
import org.careloop.store.Upsert;
import org.careloop.store.Writes;
import org.careloop.whatsapp.outbox.SendingGate;

/**
 * What stops sends beyond a single message, kept in the store so it holds across restarts: the circuit (open after
 * an error that stops everything: a bad token, a blocked account) and paused templates. Both are lifted by an
 * operator, or for a template by Meta's APPROVED status update.
 */
public final class SendGuards implements SendingGate {

    private static final Upsert CIRCUIT = Upsert.into("wa_circuit", "id", "id, error_code, reason, opened_at");
    private static final Upsert PAUSED = Upsert.into("wa_paused_template", "template_name, template_language",
            "template_name, template_language, error_code, reason, since");

    /** An open circuit: why sending stopped. */
    public record Circuit(int errorCode, String reason, Instant openedAt) {
    }

    /** A paused template ("*" as language: every language). */
    public record PausedTemplate(String name, String language, Integer errorCode, String reason, Instant since) {
    }

    private final GroupCommitWriter writer;
    private final DataSource dataSource;
    private volatile Optional<Circuit> circuit = Optional.empty();

    public SendGuards(GroupCommitWriter writer, DataSource dataSource) {
        this.writer = writer;
        this.dataSource = dataSource;
    }

    /** Reads the circuit's state from the store (at start-up). */
    public void load() throws SQLException {
        circuit = Reads.first(dataSource, "SELECT error_code, reason, opened_at FROM wa_circuit WHERE id = 1",
                row -> new Circuit(row.getInt(1), row.getString(2), row.getTimestamp(3).toInstant()));
    }

    /** Messages are claimed only while the circuit is closed. */
    @Override
    public boolean open() {
        return circuit.isEmpty();
    }

    public Optional<Circuit> circuit() {
        return circuit;
    }

    /** Opens the circuit, in the caller's transaction; takes effect for this dispatcher at once. */
    void openCircuit(Connection connection, int errorCode, String reason, Instant now) throws SQLException {
        Writes.upsert(connection, CIRCUIT, 1, errorCode, reason, Timestamp.from(now));
        circuit = Optional.of(new Circuit(errorCode, reason, now));
    }

    public CompletableFuture<Boolean> closeCircuit() {
        return writer.submit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM wa_circuit")) {
                boolean wasOpen = delete.executeUpdate() > 0;
                circuit = Optional.empty();
                return wasOpen;
            }
        });
    }

    /** Pauses a template, in the caller's transaction: its planned messages wait until it is resumed. */
    public static void pauseTemplate(Connection connection, String name, String language, Integer errorCode,
            String reason, Instant now) throws SQLException {
        Writes.upsert(connection, PAUSED, name, language, errorCode, reason, Timestamp.from(now));
    }

    /** Resumes a template in a language, or in every language for "*"; returns how many pauses it lifted. */
    public static int resumeTemplate(Connection connection, String name, String language) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM wa_paused_template "
                + "WHERE template_name = ? AND (template_language = ? OR template_language = '*' OR ? = '*')")) {
            delete.setString(1, name);
            delete.setString(2, language);
            delete.setString(3, language);
            return delete.executeUpdate();
        }
    }

    public CompletableFuture<Integer> resumeTemplate(String name, String language) {
        return writer.submit(connection -> resumeTemplate(connection, name, language));
    }

    public List<PausedTemplate> pausedTemplates() throws SQLException {
        return Reads.list(dataSource, "SELECT template_name, template_language, error_code, reason, since "
                + "FROM wa_paused_template ORDER BY since", row -> new PausedTemplate(row.getString(1),
                row.getString(2), (Integer) row.getObject(3), row.getString(4), row.getTimestamp(5).toInstant()));
    }
}
