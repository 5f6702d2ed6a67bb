package org.careloop.hl7.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class Hl7TimeTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void aValueWithoutOffsetIsInTheSiteZoneAcrossDaylightSaving() {
        assertThat(Hl7Time.parse("20260707093000", NEW_YORK)).contains(
                new Hl7Time.Moment(Instant.parse("2026-07-07T13:30:00Z"), false));
        assertThat(Hl7Time.parse("20261207093000", NEW_YORK)).contains(
                new Hl7Time.Moment(Instant.parse("2026-12-07T14:30:00Z"), false));
    }

    @Test
    void anExplicitOffsetWins() {
        assertThat(Hl7Time.parse("202612150930+0100", NEW_YORK)).contains(
                new Hl7Time.Moment(Instant.parse("2026-12-15T08:30:00Z"), false));
    }

    @Test
    void fractionsWithADotOrEpicsSixteenDigitsAreRead() {
        assertThat(Hl7Time.parse("20261215093000.25-0500", NEW_YORK)).contains(
                new Hl7Time.Moment(Instant.parse("2026-12-15T14:30:00.25Z"), false));
        assertThat(Hl7Time.parse("2026121509300050", NEW_YORK)).contains(
                new Hl7Time.Moment(Instant.parse("2026-12-15T14:30:00.50Z"), false));
    }

    @Test
    void aDayWithoutTimeIsMarkedDateOnly() {
        assertThat(Hl7Time.parse("20261215", NEW_YORK)).contains(
                new Hl7Time.Moment(Instant.parse("2026-12-15T05:00:00Z"), true));
    }

    @Test
    void nonsenseIsNotATime() {
        assertThat(Hl7Time.parse("2026", NEW_YORK)).isEmpty();
        assertThat(Hl7Time.parse("20261341093000", NEW_YORK)).isEmpty();
        assertThat(Hl7Time.parse("tomorrow", NEW_YORK)).isEmpty();
        assertThat(Hl7Time.parse("", NEW_YORK)).isEmpty();
    }
}
