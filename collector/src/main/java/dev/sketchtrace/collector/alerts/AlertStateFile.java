package dev.sketchtrace.collector.alerts;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Keeps the alert engine's state (rule states and streaks, history, silences) in one small JSON file
 * that is replaced atomically: written to a sibling temp file, forced to disk, then renamed over the
 * old one, so a crash leaves either the previous or the new state, never a torn one.
 *
 * <p>Why a file and not the collector's store: this state is a few kilobytes, changes at most once per
 * evaluation, is read once at start-up, and is not a time series; a rename-replaced file gives the
 * same crash guarantee with nothing to coordinate with the store's schema or compaction.
 *
 * <p>Thread-safety: {@link #write} is called by one thread at a time (the engine's evaluation, under its
 * lock); {@link #read} only before evaluation starts.
 */
public final class AlertStateFile {
  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private final Path file;

  public AlertStateFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** What is persisted; {@code version} guards the format. */
  record Snapshot(int version, List<RuleState.View> states, List<AlertEvent> history, List<Silence> silences) {}

  /** The saved snapshot, or null when there is none yet. */
  Snapshot read() throws IOException {
    if (!Files.exists(file)) return null;
    Snapshot s = JSON.readValue(file.toFile(), Snapshot.class);
    if (s.version() != 1) throw new IOException(file + ": unknown alert state version " + s.version());
    return s;
  }

  void write(Snapshot s) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    byte[] bytes = JSON.writeValueAsBytes(s);
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) ch.write(buf);
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
