/**
 * The contract between the agent and the instrumentation modules.
 *
 * <p>An instrumentation module ({@code instrumentation-servlet}, {@code -jdbc}, {@code
 * -http-clients}) implements {@link InstrumentationModule} and lists it in {@code
 * META-INF/services}; the agent finds it with {@link java.util.ServiceLoader}, gates it on its
 * library's presence, installs its advice with Byte Buddy, and on the folder thread asks its {@link
 * SpanMapper}s what each finished event means in OpenTelemetry terms. A module thus holds all the
 * knowledge of its libraries — where to hook (advice, app thread) and what the result means
 * (mapper, folder thread) — and nothing of the agent's wiring.
 */
package dev.sketchtrace.instrumentation.api;
