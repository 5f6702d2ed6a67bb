package org.careloop.planning;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.careloop.event.Dosing;

/**
 * A medication-reminder mapping's rules ({@code medications:}): the site's dose times for each repeat pattern
 * (HL7 table 0335 leaves BID's "institution-specified times" to the site), how long a course without an end lasts,
 * what a dose inside quiet hours does, and how many reminders a patient gets a day across all their orders.
 *
 * @param times         local dose times per repeat pattern (QD, BID, TID, QID, QAM, QPM, HS...)
 * @param everyHoursFrom the first dose of a Q<n>H pattern each day; the others every n hours after it
 * @param maxCourse     how long an order without an end (TQ1-8) or duration (TQ1-6) is reminded of
 * @param quietDoses    a dose inside quiet hours: MOVE (to the nearer edge of the quiet hours) or SKIP
 * @param maxPerDay     reminders a patient gets in one local day, across all orders; the ones after are held
 * @param lateBy        a reminder not sent this long after its dose time is not sent
 * @param showDrugName  whether {medication.name} may show the drug (the site's choice; default no)
 */
public record MedicationRules(Map<String, List<LocalTime>> times, LocalTime everyHoursFrom, Duration maxCourse,
        QuietDoses quietDoses, int maxPerDay, Duration lateBy, boolean showDrugName) {

    private static final Pattern EVERY_HOURS = Pattern.compile("Q(\\d{1,2})H");

    public enum QuietDoses {
        MOVE, SKIP
    }

    public MedicationRules {
        times = Map.copyOf(times);
    }

    /** One dose: its local date and time as the order means it, and the moment it falls on in the site's zone. */
    public record Dose(LocalDateTime local, Instant at) {
    }

    /**
     * The doses of an order from now on, in order: each day of its course at the times of its pattern (or its explicit
     * times), each local time read in the site's zone on its own day, so that a clock change moves no dose. Empty
     * for an as-needed (PRN) order or a pattern the rules do not know (see {@link #unknownPattern}).
     */
    List<Dose> doses(Dosing dosing, Instant now, ZoneId zone) {
        List<LocalTime> daily = timesOf(dosing);
        List<Dose> doses = new ArrayList<>();
        Instant from = dosing.start() != null && dosing.start().isAfter(now) ? dosing.start() : now;
        Instant courseStart = dosing.start() != null ? dosing.start() : now;
        Instant until = dosing.end() != null ? dosing.end()
                : courseStart.plus(dosing.duration() != null ? dosing.duration() : maxCourse);
        for (LocalDate day = from.atZone(zone).toLocalDate(); !day.atStartOfDay(zone).toInstant().isAfter(until);
                day = day.plusDays(1)) {
            for (LocalTime time : daily) {
                Instant at = day.atTime(time).atZone(zone).toInstant();
                if (!at.isBefore(from) && !at.isAfter(until)) {
                    doses.add(new Dose(day.atTime(time), at));
                }
            }
        }
        return doses;
    }

    /** Why an order gets no reminders although it is active, or empty when it gets them. */
    Optional<String> unknownPattern(Dosing dosing) {
        if (!timesOf(dosing).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(dosing.repeat().equals("PRN") ? "taken as needed (PRN): no reminders"
                : "repeat pattern '" + dosing.repeat() + "' has no dose times in medications.times; add them");
    }

    private List<LocalTime> timesOf(Dosing dosing) {
        if (!dosing.times().isEmpty()) {
            return dosing.times().stream().sorted().toList();
        }
        Matcher every = EVERY_HOURS.matcher(dosing.repeat());
        if (!times.containsKey(dosing.repeat()) && every.matches()) {
            int hours = Integer.parseInt(every.group(1));
            List<LocalTime> daily = new ArrayList<>();
            for (int minutes = 0; hours > 0 && minutes < 24 * 60; minutes += hours * 60) {
                daily.add(everyHoursFrom.plusMinutes(minutes));
            }
            return daily.stream().distinct().sorted().toList();
        }
        return times.getOrDefault(dosing.repeat(), List.of());
    }

    /** The {@code medications:} block of a mapping, or empty when it has none; problems are added, naming the fix. */
    static Optional<MedicationRules> read(JsonNode node, List<String> problems) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        Map<String, List<LocalTime>> times = new HashMap<>();
        node.path("times").fields().forEachRemaining(pattern -> {
            List<LocalTime> daily = new ArrayList<>();
            pattern.getValue().forEach(t -> time(t.asText(), "medications.times." + pattern.getKey(), problems)
                    .ifPresent(daily::add));
            times.put(pattern.getKey().toUpperCase(Locale.ROOT), List.copyOf(daily));
        });
        if (times.isEmpty()) {
            problems.add("'medications.times' is empty; give the site's dose times, e.g. BID: [09:00, 21:00]");
        }
        LocalTime from = time(node.path("everyHoursFrom").asText("08:00"), "medications.everyHoursFrom", problems)
                .orElse(LocalTime.of(8, 0));
        Duration course = Durations.parse(node.path("maxCourse").asText("30d")).orElseGet(() -> {
            problems.add("'medications.maxCourse' is '" + node.path("maxCourse").asText() + "'; use e.g. 30d");
            return Duration.ZERO;
        });
        Duration late = Durations.parse(node.path("lateBy").asText("60m")).orElseGet(() -> {
            problems.add("'medications.lateBy' is '" + node.path("lateBy").asText() + "'; use e.g. 60m");
            return Duration.ZERO;
        });
        String quiet = node.path("quietDoses").asText("move").toUpperCase(Locale.ROOT);
        if (!quiet.equals("MOVE") && !quiet.equals("SKIP")) {
            problems.add("'medications.quietDoses' is '" + node.path("quietDoses").asText() + "'; use move (to the "
                    + "nearer edge of the quiet hours) or skip");
        }
        int maxPerDay = node.path("maxPerDay").asInt(6);
        if (maxPerDay < 1) {
            problems.add("'medications.maxPerDay' is '" + node.path("maxPerDay").asText() + "'; give a number of "
                    + "reminders such as 6");
        }
        return Optional.of(new MedicationRules(times, from, course, quiet.equals("SKIP") ? QuietDoses.SKIP
                : QuietDoses.MOVE, maxPerDay, late, node.path("showDrugName").asBoolean(false)));
    }

    private static Optional<LocalTime> time(String text, String where, List<String> problems) {
        try {
            return Optional.of(LocalTime.parse(text.trim().length() == 4 ? "0" + text.trim() : text.trim()));
        } catch (DateTimeParseException e) {
            problems.add("'" + where + "' " + text + " is not a local time such as 09:00");
            return Optional.empty();
        }
    }
}
