/**
 * What inlined advice calls. These classes are appended to the bootstrap class loader so that advice
 * woven into any class — {@code java.net.HttpURLConnection} included — can reach them.
 *
 * <p>Rules for everything in this package: no dependency but the JDK and the relocated JCTools; no
 * locks, logging, string building or exceptions on the app-thread path; nothing here ever throws
 * into the app. Everything that costs happens later, on the agent's folder thread.
 */
package dev.sketchtrace.bootstrap;
