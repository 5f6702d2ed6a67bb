package org.careloop.event;

/** A clinician (HL7 XCN, FHIR Practitioner); any part may be empty. */
public record Practitioner(String id, String family, String given, String prefix) {
}
