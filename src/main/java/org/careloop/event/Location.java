package org.careloop.event;

/**
 * A place of care (HL7 PL, FHIR Location); any part may be empty.
 *
 * @param pointOfCare PL-1: clinic, ward or department code
 * @param description PL-9 or the location's name: what a patient would recognise
 */
public record Location(String pointOfCare, String room, String facility, String description) {
}
