package org.careloop.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/** Collects every log line (message and exception chain) written while it is open, CareLoop's at DEBUG. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level previousLevel;

    public LogCapture() {
        super("log-capture", null, null, true, Property.EMPTY_ARRAY);
        previousLevel = LogManager.getLogger("org.careloop").getLevel();
        start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(this, Level.ALL, null);
        Configurator.setLevel("org.careloop", Level.DEBUG);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        Configurator.setLevel("org.careloop", previousLevel);
        context.updateLoggers();
        stop();
    }
}
