package org.careloop.event;

/** A code with its display text and code system (HL7 CE/CWE, FHIR Coding); any part may be empty. */
public record Coded(String code, String display, String system) {
}
