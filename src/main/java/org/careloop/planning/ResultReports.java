package org.careloop.planning;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.careloop.whatsapp.outbox.PendingMessages;

/**
 * Applies a results report's decision in the planning transaction, against what was announced before
 * ({@code result_report}, planning's own table):
 * <ul>
 *   <li>a report that is not final yet is recorded as waiting, and nothing is planned;</li>
 *   <li>its first final (or corrected) result joins the notice of its group that has not gone out yet, or plans
 *       the group's notice, due when the batch window ends; a sensitive or a minor's report plans its own notice,
 *       held with its reason on the row;</li>
 *   <li>a report announced before (a replay, a correction) plans nothing more, except one correction notice after
 *       the first went out when the mapping asks for it.</li>
 * </ul>
 */
final class ResultReports {

    /** Notice states that mean the patient has been (or is being) told. */
    private static final Set<String> GONE_OUT = Set.of("CLAIMED", "SENT", "DELIVERED", "READ", "UNKNOWN");
    private static final Set<String> NOT_GONE_OUT = Set.of("PLANNED", "SUPPRESSED");

    private record Known(String decision, String noticeKey, String correctionKey) {
    }

    private ResultReports() {
    }

    static void apply(Connection connection, PlanStep.AnnounceResult step, Instant now) throws SQLException {
        ResultDecision decision = step.decision();
        Optional<Known> known = Reads.first(connection, "SELECT decision, notice_key, correction_key FROM "
                + "result_report WHERE mapping_id = ? AND order_key = ?",
                row -> new Known(row.getString(1), row.getString(2), row.getString(3)), step.mappingId(),
                decision.orderKey());
        if (known.isPresent() && known.get().noticeKey() != null) {
            updateStatus(connection, step, now);
            announceCorrection(connection, step, known.get(), now);
            return;
        }
        if (decision.outcome() == ResultDecision.Outcome.WAITING) {
            record(connection, step, known.isPresent(), "WAITING", decision.reason(), null, now);
            return;
        }
        if (decision.outcome() == ResultDecision.Outcome.ANNOUNCE) {
            Optional<String> open = openNotice(connection, step);
            if (open.isPresent()) {
                if (step.requestForSeveral() != null) {
                    PendingMessages.rewriteRequest(connection, open.get(), step.requestForSeveral(), now);
                }
                record(connection, step, known.isPresent(), "BATCHED", "in the notice " + open.get(), open.get(), now);
                return;
            }
        }
        PlanWriter.upsert(connection, step.notice(), now);
        String recorded = decision.outcome() == ResultDecision.Outcome.ANNOUNCE ? "ANNOUNCED"
                : decision.outcome().name();
        record(connection, step, known.isPresent(), recorded, decision.reason(), step.notice().key(), now);
    }

    /** The group's notice that has not gone out yet, which a report arriving now joins. */
    private static Optional<String> openNotice(Connection connection, PlanStep.AnnounceResult step)
            throws SQLException {
        List<String> notices = Reads.list(connection, "SELECT notice_key FROM result_report WHERE mapping_id = ? "
                + "AND group_key = ? AND decision = 'ANNOUNCED'", row -> row.getString(1), step.mappingId(),
                step.decision().groupKey());
        for (String notice : notices) {
            if (PendingMessages.stateOf(connection, notice).filter(NOT_GONE_OUT::contains).isPresent()) {
                return Optional.of(notice);
            }
        }
        return Optional.empty();
    }

    /** A correction after its notice went out: one more notice when the mapping asks for it. */
    private static void announceCorrection(Connection connection, PlanStep.AnnounceResult step, Known known,
            Instant now) throws SQLException {
        if (step.update() == null || known.correctionKey() != null || !known.decision().equals("ANNOUNCED")
                && !known.decision().equals("BATCHED")
                || PendingMessages.stateOf(connection, known.noticeKey()).filter(GONE_OUT::contains).isEmpty()) {
            return;
        }
        PlanWriter.upsert(connection, step.update(), now);
        Writes.update(connection, "UPDATE result_report SET correction_key = ?, updated_at = ? WHERE mapping_id = ? "
                + "AND order_key = ?", step.update().key(), Timestamp.from(now), step.mappingId(),
                step.decision().orderKey());
    }

    private static void updateStatus(Connection connection, PlanStep.AnnounceResult step, Instant now)
            throws SQLException {
        Writes.update(connection, "UPDATE result_report SET status = ?, updated_at = ? WHERE mapping_id = ? "
                + "AND order_key = ?", step.decision().status(), Timestamp.from(now), step.mappingId(),
                step.decision().orderKey());
    }

    private static void record(Connection connection, PlanStep.AnnounceResult step, boolean exists, String decision,
            String reason, String noticeKey, Instant now) throws SQLException {
        ResultDecision d = step.decision();
        if (exists) {
            Writes.update(connection, "UPDATE result_report SET group_key = ?, patient_key = ?, status = ?, "
                    + "decision = ?, reason = ?, notice_key = ?, updated_at = ? WHERE mapping_id = ? AND order_key = ?",
                    d.groupKey(), step.patientKey(), d.status(), decision, reason, noticeKey, Timestamp.from(now),
                    step.mappingId(), d.orderKey());
        } else {
            Writes.update(connection, "INSERT INTO result_report (mapping_id, order_key, group_key, patient_key, "
                    + "status, decision, reason, notice_key, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    step.mappingId(), d.orderKey(), d.groupKey(), step.patientKey(), d.status(), decision, reason,
                    noticeKey, Timestamp.from(now));
        }
    }
}
