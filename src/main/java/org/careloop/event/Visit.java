package org.careloop.event;

import java.time.Instant;

/**
 * An admission or outpatient visit (PV1).
 *
 * @param visitNumber          PV1-19
 * @param patientClass         PV1-2 (I inpatient, O outpatient, E emergency...)
 * @param dischargeDisposition PV1-36
 */
public record Visit(
        String visitNumber,
        String patientClass,
        Location location,
        Practitioner attending,
        Instant admittedAt,
        Instant dischargedAt,
        String dischargeDisposition) {
}
