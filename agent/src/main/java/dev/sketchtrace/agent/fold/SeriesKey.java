package dev.sketchtrace.agent.fold;

import dev.sketchtrace.instrumentation.api.AttributeSink;
import java.util.Arrays;

/**
 * The attributes that identify one metric series, in the order the mapper wrote them, with typed
 * values so that mapping allocates nothing: strings are kept by reference, numbers and booleans in
 * a {@code long[]}.
 *
 * <p>The folder keeps one mutable instance as a reusable sink and lookup probe ({@link #reset},
 * then the mapper writes into it, then a map lookup); a series stores an immutable {@link #copy}.
 * Not thread-safe: folder thread only.
 */
final class SeriesKey implements AttributeSink {
  static final byte STRING = 0;
  static final byte LONG = 1;
  static final byte DOUBLE = 2;
  static final byte BOOLEAN = 3;
  /** Attributes past this many are ignored: a series key stays small. */
  static final int MAX_ATTRIBUTES = 16;

  private String[] keys;
  private byte[] types;
  private String[] strings;
  private long[] numbers;
  private int size;
  private int hash;

  SeriesKey() {
    this(new String[8], new byte[8], new String[8], new long[8], 0);
  }

  private SeriesKey(String[] keys, byte[] types, String[] strings, long[] numbers, int size) {
    this.keys = keys;
    this.types = types;
    this.strings = strings;
    this.numbers = numbers;
    this.size = size;
    this.hash = computeHash();
  }

  void reset() {
    size = 0;
    hash = 1;
  }

  @Override
  public void put(String key, String value) {
    if (key != null && value != null && slot()) {
      add(key, STRING, value, 0L);
    }
  }

  @Override
  public void put(String key, long value) {
    if (key != null && slot()) {
      add(key, LONG, null, value);
    }
  }

  @Override
  public void put(String key, double value) {
    if (key != null && slot()) {
      add(key, DOUBLE, null, Double.doubleToLongBits(value));
    }
  }

  @Override
  public void put(String key, boolean value) {
    if (key != null && slot()) {
      add(key, BOOLEAN, null, value ? 1L : 0L);
    }
  }

  private boolean slot() {
    if (size == MAX_ATTRIBUTES) {
      return false;
    }
    if (size == keys.length) {
      int n = Math.min(keys.length * 2, MAX_ATTRIBUTES);
      keys = Arrays.copyOf(keys, n);
      types = Arrays.copyOf(types, n);
      strings = Arrays.copyOf(strings, n);
      numbers = Arrays.copyOf(numbers, n);
    }
    return true;
  }

  private void add(String key, byte type, String string, long number) {
    keys[size] = key;
    types[size] = type;
    strings[size] = string;
    numbers[size] = number;
    size++;
    hash = 31 * hash + entryHash(key, type, string, number);
  }

  private static int entryHash(String key, byte type, String string, long number) {
    int h = key.hashCode() * 31 + type;
    return h * 31 + (type == STRING ? string.hashCode() : Long.hashCode(number));
  }

  private int computeHash() {
    int h = 1;
    for (int i = 0; i < size; i++) {
      h = 31 * h + entryHash(keys[i], types[i], strings[i], numbers[i]);
    }
    return h;
  }

  /** An immutable copy of the current content, to be stored. */
  SeriesKey copy() {
    return new SeriesKey(
        Arrays.copyOf(keys, size),
        Arrays.copyOf(types, size),
        Arrays.copyOf(strings, size),
        Arrays.copyOf(numbers, size),
        size);
  }

  int size() {
    return size;
  }

  String key(int i) {
    return keys[i];
  }

  byte type(int i) {
    return types[i];
  }

  String stringValue(int i) {
    return strings[i];
  }

  long longValue(int i) {
    return numbers[i];
  }

  double doubleValue(int i) {
    return Double.longBitsToDouble(numbers[i]);
  }

  boolean booleanValue(int i) {
    return numbers[i] != 0L;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SeriesKey)) {
      return false;
    }
    SeriesKey other = (SeriesKey) o;
    if (other.size != size || other.hash != hash) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (types[i] != other.types[i]
          || numbers[i] != other.numbers[i]
          || !keys[i].equals(other.keys[i])
          || (types[i] == STRING && !strings[i].equals(other.strings[i]))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(keys[i]).append('=');
      switch (types[i]) {
        case STRING:
          s.append(strings[i]);
          break;
        case LONG:
          s.append(numbers[i]);
          break;
        case DOUBLE:
          s.append(doubleValue(i));
          break;
        default:
          s.append(booleanValue(i));
      }
    }
    return s.append('}').toString();
  }
}
