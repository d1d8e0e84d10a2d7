package dev.sketchtrace.collector.alerts;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Objects;

/**
 * The alerting part of the collector: the engine, where its rules come from, and where notifications
 * go (always the log; also the rule set's webhook when it names one).
 *
 * <p>Rules: the start-up file ({@code --alert-rules}) when given, else the rules last accepted
 * through the API (kept as {@code alert-rules.json} in the data directory), else none. A rule set that
 * does not validate is refused with the field named, and the rules in force stay in force, whether the
 * bad set came from the file (at start-up or on reload) or from the API.
 *
 * <p>Thread-safety: thread-safe; rule changes are serialized on {@code lock}.
 */
public final class AlertService implements AutoCloseable {
  private static final Logger LOG = System.getLogger("dev.sketchtrace.collector.alerts");
  static final String STATE_FILE = "alert-state.json";
  static final String API_RULES_FILE = "alert-rules.json";

  private final AlertEngine engine;
  private final Path rulesFile; // null: no start-up file
  private final Path apiRulesFile;
  private final Notifiers notifiers = new Notifiers();
  private final Object lock = new Object();
  private volatile String lastLoadError;

  /**
   * @param rulesFile the {@code --alert-rules} file; null when none was given
   * @throws IOException when the saved alert state exists but cannot be read
   */
  public AlertService(Clock clock, MetricQuery query, Path dataDir, Path rulesFile) throws IOException {
    this.rulesFile = rulesFile;
    this.apiRulesFile = dataDir.resolve(API_RULES_FILE);
    this.engine = new AlertEngine(clock, query, notifiers, new AlertStateFile(dataDir.resolve(STATE_FILE)));
    if (rulesFile != null) {
      try {
        reloadFile();
        return;
      } catch (InvalidRulesException | IOException e) {
        // logged by reloadFile; fall back to the rules in force before this start, as after a bad reload
      }
    }
    if (Files.exists(apiRulesFile)) {
      try {
        apply(AlertRuleParser.parse(Files.readString(apiRulesFile, StandardCharsets.UTF_8)));
      } catch (InvalidRulesException e) {
        LOG.log(Level.ERROR, "saved alert rules " + apiRulesFile + " not loaded: " + e.getMessage());
      }
    }
  }

  public AlertEngine engine() {
    return engine;
  }

  /** Evaluates every {@code intervalMillis}. */
  public void start(long intervalMillis) {
    engine.start(intervalMillis);
  }

  /**
   * Re-reads the start-up rule file. On a bad file the current rules stay and the error (naming the
   * field) is thrown and remembered for {@link #lastLoadError()}.
   */
  public RuleSet reloadFile() throws InvalidRulesException, IOException {
    if (rulesFile == null) throw new InvalidRulesException("(file)", "no --alert-rules file was given at start-up");
    synchronized (lock) {
      try {
        RuleSet set = AlertRuleParser.parse(Files.readString(rulesFile, StandardCharsets.UTF_8));
        apply(set);
        lastLoadError = null;
        return set;
      } catch (InvalidRulesException e) {
        lastLoadError = rulesFile + ": " + e.getMessage();
        LOG.log(Level.ERROR, "alert rules in " + rulesFile + " refused, keeping the previous rules: " + e.getMessage());
        throw e;
      } catch (IOException e) {
        lastLoadError = rulesFile + ": " + e;
        LOG.log(Level.ERROR, "cannot read alert rules " + rulesFile + ", keeping the previous rules", e);
        throw e;
      }
    }
  }

  /** Replaces the rules with an API body; saved so a restart without {@code --alert-rules} keeps them. */
  public RuleSet replace(String json) throws InvalidRulesException, IOException {
    RuleSet set = AlertRuleParser.parse(json);
    synchronized (lock) {
      Path tmp = apiRulesFile.resolveSibling(API_RULES_FILE + ".tmp");
      Files.createDirectories(apiRulesFile.toAbsolutePath().getParent());
      Files.writeString(tmp, AlertRuleParser.toJson(set).toPrettyString(), StandardCharsets.UTF_8);
      Files.move(tmp, apiRulesFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      apply(set);
    }
    return set;
  }

  /** Why the last file load failed, or null. */
  public String lastLoadError() {
    return lastLoadError;
  }

  private void apply(RuleSet set) {
    notifiers.webhook(set.webhook());
    engine.setRules(set);
  }

  @Override
  public void close() {
    engine.close();
    notifiers.webhook(null);
  }

  /** The log, plus the current webhook. Thread-safe: the webhook is swapped under its own lock. */
  private static final class Notifiers implements Notifier {
    private final LogNotifier log = new LogNotifier();
    private final Object swap = new Object();
    private volatile WebhookNotifier webhook;

    void webhook(String url) {
      synchronized (swap) {
        WebhookNotifier old = webhook;
        if (old != null && url != null && old.url().toString().equals(url)) return;
        webhook = url == null ? null : new WebhookNotifier(URI.create(url));
        if (old != null) old.close();
      }
    }

    @Override
    public void send(AlertEvent event) {
      log.send(event);
      WebhookNotifier w = webhook;
      if (w != null) w.send(event);
    }
  }

  @Override
  public String toString() {
    return "AlertService{rulesFile=" + Objects.toString(rulesFile) + "}";
  }
}
