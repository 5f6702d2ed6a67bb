package org.careloop.testing;

import java.nio.charset.StandardCharsets;

/**
 * SIU messages for one appointment, as a scheduling feed sends them over its life: booked, moved, changed, cancelled.
 *
 * @param appointmentId the filler id (SCH-2) under sending application EPIC
 * @param patientId     PID-3, under authority EPI
 * @param phone         PID-13, a mobile (CP), or "" for none
 * @param language      PID-15 as sent
 * @param clinic        AIL-3, where the appointment is
 * @param clinician     AIP-3, who sees the patient
 */
public record Siu(String appointmentId, String patientId, String phone, String language, String clinic,
        String clinician) {

    public Siu(String appointmentId, String patientId, String phone, String language) {
        this(appointmentId, patientId, phone, language, "CARD^^^MERCY^^^^^MERCY CARDIOLOGY CLINIC",
                "1234^SMITH^JOHN^^^DR");
    }

    /** The same appointment, sent as being at another place (AIL-3). */
    public Siu inClinic(String ail3) {
        return new Siu(appointmentId, patientId, phone, language, ail3, clinician);
    }

    /** The same appointment, sent with another clinician, or the same one under another name (AIP-3). */
    public Siu withClinician(String aip3) {
        return new Siu(appointmentId, patientId, phone, language, clinic, aip3);
    }

    public byte[] booked(String controlId, String localStart) {
        return message("S12", controlId, localStart, "Booked");
    }

    public byte[] rescheduled(String controlId, String localStart) {
        return message("S13", controlId, localStart, "Booked");
    }

    public byte[] modified(String controlId, String localStart) {
        return message("S14", controlId, localStart, "Booked");
    }

    public byte[] cancelled(String controlId, String localStart) {
        return message("S15", controlId, localStart, "Cancelled");
    }

    public byte[] deleted(String controlId, String localStart) {
        return message("S17", controlId, localStart, "Deleted");
    }

    /** @param localStart YYYYMMDDHHMM in the site's time zone */
    private byte[] message(String trigger, String controlId, String localStart, String status) {
        return ("MSH|^~\\&|EPIC|EPICADT|CARELOOP|MERCY|20261201080000||SIU^" + trigger + "|" + controlId + "|P|2.5\r"
                + "SCH||" + appointmentId + "^EPIC|||||||30|MIN|^^^" + localStart + "00||||||||||||||" + status + "\r"
                + "PID|1||" + patientId + "^^^EPI^MR||DOE^JANE||19800102|F|||||"
                + (phone.isEmpty() ? "" : "^PRN^CP^^^^^^^^^" + phone) + "||" + language + "\r"
                + "RGS|1\r"
                + "AIS|1||99213^Office visit^CPT|" + localStart + "00|||30|MIN\r"
                + "AIL|1||" + clinic + "\r"
                + "AIP|1||" + clinician + "\r").getBytes(StandardCharsets.UTF_8);
    }
}
