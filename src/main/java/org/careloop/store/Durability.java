package org.careloop.store;

/**
 * How far a commit must reach before CareLoop tells a sender "accepted" (AA/CA, HTTP 200).
 *
 * <p>H2 never syncs on commit and, with its default write delay, keeps committed rows in memory for up to half a
 * second: a {@code kill -9} in that window loses messages that were already acknowledged. Each level closes a gap.
 */
public enum Durability {
    /** The commit has written its chunk to the database file: survives a crash or kill of the engine process. */
    CRASH,
    /** As {@link #CRASH}, and the file has been forced to the disk: survives an OS crash or a power loss. */
    POWER;
}
