import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The overhead benchmark's app: embedded Tomcat 10.1 with one trivial servlet at {@code /hello}.
 * Prints {@code READY} once listening on the port given as the first argument.
 */
public final class HelloServer {
  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("hello-tomcat").toString());
    tomcat.setPort(Integer.parseInt(args[0]));
    Context context = tomcat.addContext("", Files.createTempDirectory("hello-docroot").toString());
    Tomcat.addServlet(context, "hello", new Hello());
    context.addServletMappingDecoded("/hello", "hello");
    tomcat.getConnector();
    tomcat.start();
    System.out.println("READY");
    tomcat.getServer().await();
  }

  static final class Hello extends HttpServlet {
    private static final byte[] BODY = "hello, world\n".getBytes(StandardCharsets.UTF_8);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.setContentLength(BODY.length);
      resp.getOutputStream().write(BODY);
    }
  }
}
