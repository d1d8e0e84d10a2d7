package dev.sketchtrace.it.servlet;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Response;

/**
 * The JAX-RS resources of the Jersey 3 app ({@code jakarta.ws.rs}); {@link Jersey2Resources} is the
 * same for Jersey 2. Mounted under {@code /api/*}: {@code /api/owners}, {@code /api/owners/{id}},
 * the sub-resource {@code /api/owners/{id}/visits/{visitId}}, {@code /api/owners/unavailable} (a
 * 503), {@code /api/owners/async} (resumed with a 202 on another thread) and {@code /api/health}.
 */
public final class JerseyResources {
  private JerseyResources() {}

  @Path("owners")
  @Produces("text/plain")
  public static final class Owners {
    @GET
    public String list() {
      return "owners";
    }

    @GET
    @Path("{id}")
    public String owner(@PathParam("id") String id) {
      return "owner " + id;
    }

    @Path("{id}/visits")
    public Visits visits(@PathParam("id") String id) {
      return new Visits(id);
    }

    @GET
    @Path("unavailable")
    public String unavailable() {
      throw new WebApplicationException(503);
    }

    @GET
    @Path("async")
    public void async(@Suspended AsyncResponse response) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                response.resume(Response.status(202).entity("async owners").build());
              },
              "jaxrs-async-worker");
      worker.start();
    }
  }

  @Produces("text/plain")
  public static final class Visits {
    private final String owner;

    Visits(String owner) {
      this.owner = owner;
    }

    @GET
    @Path("{visitId}")
    public String visit(@PathParam("visitId") String visitId) {
      return "visit " + visitId + " of " + owner;
    }
  }

  @Path("health")
  public static final class Health {
    @GET
    @Produces("text/plain")
    public String health() {
      return "up";
    }
  }
}
