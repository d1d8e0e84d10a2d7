package dev.sketchtrace.agent.install;

/**
 * Reads, without any bytecode library, whether a class file's constant pool mentions a package: a
 * UTF-8 constant (class name, descriptor or signature) containing one of the given internal-form
 * prefixes such as {@code java/sql/}. A class that implements or uses a library's types names them
 * there, so this is the cheap "might this class concern the library?" test used before Byte Buddy
 * is installed.
 *
 * <p>Stateless; malformed input answers {@code true} (the caller then waits for the real matcher).
 */
final class ClassFileNames {
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
        int tag = classFile[at] & 0xff;
        switch (tag) {
          case 1: { // Utf8
            int length = u2(classFile, at + 1);
            if (containsAny(classFile, at + 3, at + 3 + length, prefixes)) {
              return true;
            }
            at += 3 + length;
            break;
          }
          case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
            at += 3;
            break;
          case 15: // MethodHandle
            at += 4;
            break;
          case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
            at += 5;
            break;
          case 5: case 6: // Long, Double take two slots
            at += 9;
            i++;
            break;
          default:
            return true; // unknown constant: do not guess
        }
      }
      return false;
    } catch (ArrayIndexOutOfBoundsException e) {
      return true;
    }
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
}
