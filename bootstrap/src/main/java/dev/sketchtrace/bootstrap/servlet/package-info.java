/**
 * What the servlet advice calls: the logic shared by the {@code javax.servlet} and {@code
 * jakarta.servlet} advice, which extract plain values ({@code String}, {@code int}) from their own
 * API and hand them here. Nothing in this package names a servlet type — it sits on the bootstrap
 * class loader, which cannot see them — so the two thin advice families share one implementation.
 *
 * <p>The rules of {@link dev.sketchtrace.bootstrap} apply: JDK only, no locks, logging or string
 * building on the request path, never throws into the app.
 */
package dev.sketchtrace.bootstrap.servlet;
