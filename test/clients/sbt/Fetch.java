import java.io.FileInputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.URL;
import java.util.List;
import java.util.Properties;

/**
 * What sbt does with a credentials file, without sbt: `java.util.Properties.load` on the file (sbt's
 * `IO.load`), sbt's lookup of each key's names (CredentialUtils: the first present, trimmed), and
 * Ivy's answer to a Basic challenge (the credentials whose realm and host match the challenge's).
 * Prints the status of a GET of args[1], then exits 0.
 */
public class Fetch {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      p.load(in);
    }
    String realm = first(p, List.of("realm"));
    String host = first(p, List.of("host", "hostname"));
    String user = first(p, List.of("user", "user.name", "username"));
    String password = first(p, List.of("password", "pwd", "pass", "passwd"));
    Authenticator.setDefault(new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        boolean matches = host != null && host.equalsIgnoreCase(getRequestingHost())
            && (realm == null || realm.equals(getRequestingPrompt()));
        return matches && user != null && password != null
            ? new PasswordAuthentication(user, password.toCharArray())
            : null;
      }
    });
    HttpURLConnection connection = (HttpURLConnection) new URL(args[1]).openConnection();
    System.out.println(connection.getResponseCode());
  }

  static String first(Properties p, List<String> keys) {
    for (String k : keys) {
      String v = p.getProperty(k);
      if (v != null) return v.trim();
    }
    return null;
  }
}
