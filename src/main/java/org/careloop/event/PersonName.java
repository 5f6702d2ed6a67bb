package org.careloop.event;

/** A person's name parts as the source sent them; any part may be empty. */
public record PersonName(String family, String given, String middle, String prefix) {
}
