package org.careloop.fhir.writeback;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.careloop.store.Reads;
import org.careloop.store.Writes;
import org.hl7.fhir.r4.model.IdType;

/**
 * The resource versions CareLoop wrote itself (a patient's Confirm or Cancel written back): a FHIR server notifies its
 * subscribers of every change, CareLoop's own included, and the notification of such a version must plan nothing.
 */
public final class OwnVersions {

    private OwnVersions() {
    }

    /** @param version as the server answered the write: {@code Appointment/1001/_history/3} */
    public static void record(Connection connection, String version, String action, Instant at) throws SQLException {
        IdType id = new IdType(version);
        if (id.getResourceType() == null || id.getVersionIdPart() == null) {
            return;
        }
        Writes.update(connection, "INSERT INTO fhir_own_version (resource_type, resource_id, version_id, action, "
                + "written_at) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM fhir_own_version WHERE "
                + "resource_type = ? AND resource_id = ? AND version_id = ?)", id.getResourceType(), id.getIdPart(),
                id.getVersionIdPart(), action, Timestamp.from(at), id.getResourceType(), id.getIdPart(),
                id.getVersionIdPart());
    }

    /** The action CareLoop wrote this version for (CONFIRM, CANCEL...), if it wrote it. */
    public static Optional<String> writtenFor(Connection connection, String type, String id, String version)
            throws SQLException {
        return version == null ? Optional.empty() : Reads.first(connection, "SELECT action FROM "
                + "fhir_own_version WHERE resource_type = ? AND resource_id = ? AND version_id = ?",
                row -> row.getString(1), type, id, version);
    }
}
