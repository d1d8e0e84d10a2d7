package dev.sketchtrace.agent.install;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads names from a class file without any bytecode library, for the cheap tests made before a
 * class reaches Byte Buddy:
 * <ul>
 *   <li>{@link #mentionsAny}: whether its constant pool mentions a package — a UTF-8 constant
 *       (class name, descriptor or signature) containing an internal-form prefix such as {@code
 *       java/sql/}. A class that implements or uses a library's types names them there.
 *   <li>{@link #declaredMethods}: which of some method names the class itself declares (its
 *       {@code methods} table, not merely its constant pool: a class that only <em>calls</em>
 *       {@code executeQuery} does not declare it).
 * </ul>
 *
 * <p>Stateless; malformed input answers "maybe" (the caller then asks the real matcher).
 */
final class ClassFileNames {
  private static final byte UTF8 = 1;

  private ClassFileNames() {}

  /** Whether a UTF-8 constant of {@code classFile} contains one of {@code prefixes} (ASCII). */
  static boolean mentionsAny(byte[] classFile, byte[][] prefixes) {
    if (prefixes.length == 0) {
      return false;
    }
    try {
      int count = u2(classFile, 8);
      int at = 10;
      for (int i = 1; i < count; i++) {
        int size = constantSize(classFile, at);
        if (size < 0) {
          return true; // unknown constant: do not guess
        }
        if (classFile[at] == UTF8 && containsAny(classFile, at + 3, at + size, prefixes)) {
          return true;
        }
        i += slotsAfter(classFile[at]);
        at += size;
      }
      return false;
    } catch (ArrayIndexOutOfBoundsException e) {
      return true;
    }
  }

  /**
   * The union of the owner bits, within {@code owners}, of the {@code names} that {@code classFile}
   * declares as a method name; all bits set if the class file is malformed. Allocates nothing
   * unless a constant equals one of those owners' names (most classes: a single pass over the
   * constant pool).
   */
  static long declaredMethods(byte[] classFile, NameTable names, long owners) {
    try {
      int count = u2(classFile, 8);
      int at = 10;
      int[] hits = null; // constant indexes equal to a name
      long[] hitOwners = null;
      int hitCount = 0;
      for (int i = 1; i < count; i++) {
        int size = constantSize(classFile, at);
        if (size < 0) {
          return -1L;
        }
        long found = classFile[at] == UTF8 ? names.ownersOf(classFile, at + 3, size - 3) & owners : 0L;
        if (found != 0L) {
          if (hits == null) {
            hits = new int[4];
            hitOwners = new long[4];
          } else if (hitCount == hits.length) {
            hits = java.util.Arrays.copyOf(hits, hitCount * 2);
            hitOwners = java.util.Arrays.copyOf(hitOwners, hitCount * 2);
          }
          hits[hitCount] = i;
          hitOwners[hitCount++] = found;
        }
        i += slotsAfter(classFile[at]);
        at += size;
      }
      return hits == null ? 0L : declaredAmong(classFile, at, hits, hitOwners, hitCount);
    } catch (ArrayIndexOutOfBoundsException e) {
      return -1L;
    }
  }

  /**
   * Method names (ASCII), each with owner bits, looked up by length and then by bytes: a constant
   * of a length no name has costs one array read. Immutable.
   */
  static final class NameTable {
    private final byte[][][] byLength;
    private final long[][] ownersByLength;

    /** {@code owners.get(i)} are the bits of {@code names.get(i)}; a repeated name ORs them. */
    NameTable(List<String> names, List<Long> owners) {
      int longest = 0;
      for (String name : names) {
        longest = Math.max(longest, name.length());
      }
      byLength = new byte[longest + 1][0][];
      ownersByLength = new long[longest + 1][0];
      for (int i = 0; i < names.size(); i++) {
        byte[] name = names.get(i).getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0) {
          continue; // no method has an empty name
        }
        byte[][] same = byLength[name.length];
        int at = 0;
        while (at < same.length && !Arrays.equals(same[at], name)) {
          at++;
        }
        if (at == same.length) {
          byLength[name.length] = Arrays.copyOf(same, at + 1);
          byLength[name.length][at] = name;
          ownersByLength[name.length] = Arrays.copyOf(ownersByLength[name.length], at + 1);
        }
        ownersByLength[name.length][at] |= owners.get(i);
      }
    }

    /** The owner bits of the name equal to {@code b[from, from + length)}, 0 if none. */
    long ownersOf(byte[] b, int from, int length) {
      if (length >= byLength.length) {
        return 0L;
      }
      byte[][] candidates = byLength[length];
      for (int i = 0; i < candidates.length; i++) {
        byte[] name = candidates[i];
        if (name[0] == b[from] && Arrays.equals(b, from, from + length, name, 0, length)) {
          return ownersByLength[length][i];
        }
      }
      return 0L;
    }
  }

  /** Walks the fields and methods tables from {@code at} (just past the constant pool). */
  private static long declaredAmong(byte[] b, int at, int[] hits, long[] hitOwners, int hitCount) {
    at += 6; // access flags, this class, super class
    at += 2 + 2 * u2(b, at); // interfaces
    int fields = u2(b, at);
    at += 2;
    for (int f = 0; f < fields; f++) {
      at = skipMember(b, at);
    }
    long found = 0L;
    int methods = u2(b, at);
    at += 2;
    for (int m = 0; m < methods; m++) {
      int nameIndex = u2(b, at + 2);
      for (int h = 0; h < hitCount; h++) {
        if (hits[h] == nameIndex) {
          found |= hitOwners[h];
        }
      }
      at = skipMember(b, at);
    }
    return found;
  }

  /** Skips one field_info or method_info: flags, name, descriptor, then its attributes. */
  private static int skipMember(byte[] b, int at) {
    int attributes = u2(b, at + 6);
    at += 8;
    for (int a = 0; a < attributes; a++) {
      at += 6 + u4(b, at + 2);
    }
    return at;
  }

  /** Bytes taken by the constant at {@code at}, tag included; -1 for an unknown tag. */
  private static int constantSize(byte[] b, int at) {
    switch (b[at]) {
      case UTF8:
        return 3 + u2(b, at + 1);
      case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
        return 3;
      case 15: // MethodHandle
        return 4;
      case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
        return 5;
      case 5: case 6: // Long, Double
        return 9;
      default:
        return -1;
    }
  }

  /** Long and Double constants take two slots of the pool. */
  private static int slotsAfter(byte tag) {
    return tag == 5 || tag == 6 ? 1 : 0;
  }

  private static boolean containsAny(byte[] b, int from, int to, byte[][] prefixes) {
    for (byte[] p : prefixes) {
      int last = to - p.length;
      byte first = p[0];
      for (int i = from; i <= last; i++) {
        if (b[i] == first && regionMatches(b, i, p)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean regionMatches(byte[] b, int at, byte[] p) {
    for (int j = 1; j < p.length; j++) {
      if (b[at + j] != p[j]) {
        return false;
      }
    }
    return true;
  }

  private static int u2(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static int u4(byte[] b, int at) {
    return (u2(b, at) << 16) | u2(b, at + 2);
  }
}
