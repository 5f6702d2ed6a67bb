package org.careloop.whatsapp.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The faults the simulator has been told to inject; the first that applies to a message is used. */
final class Faults {

    private final List<Fault> faults = new ArrayList<>();

    synchronized void add(Fault fault) {
        faults.add(fault);
    }

    synchronized void clear() {
        faults.clear();
    }

    /** The fault for this message, counted as used. */
    synchronized Optional<Fault> take(String to, String template, Instant now) {
        for (int i = 0; i < faults.size(); i++) {
            Fault fault = faults.get(i);
            if (fault.appliesTo(to, template, now)) {
                if (fault.remaining() == 1) {
                    faults.remove(i);
                } else if (fault.remaining() > 1) {
                    faults.set(i, new Fault(fault.recipient(), fault.template(), fault.from(), fault.until(),
                            fault.errorCode(), fault.httpStatus(), fault.latencyMinMs(), fault.latencyMaxMs(),
                            fault.hang(), fault.asyncErrorCode(), fault.statusOrder(), fault.remaining() - 1));
                }
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    synchronized List<Fault> list() {
        return new ArrayList<>(faults);
    }
}
