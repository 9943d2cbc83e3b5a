/*
 * The real readers of the two XML files Artikey edits, as one long-lived process answering JSON
 * lines (test/fuzz/support/oracle-process.ts): a request is {"format":"maven"|"nuget","base64":…}
 * holding the file's bytes; the answer is what the tool reads from them.
 *
 *  - maven: Maven's own SettingsXpp3Reader from /usr/share/maven/lib, read as Maven 3's
 *    DefaultSettingsBuilder reads settings.xml: strict first, and only when strict fails the lenient
 *    reading (with a warning). Bytes go through ReaderFactory.newXmlReader as DefaultSettingsReader
 *    does, so a BOM and the declaration's encoding count.
 *  - nuget: the JDK's namespace-aware DOM parser, then NuGet.Configuration's reading rules
 *    (SettingFactory.ParseChildren, SourceItem, CredentialsItem): sections and items by local name,
 *    items that are the same ignoring case (element name plus attribute values) counted once,
 *    <clear/> dropping the items before it, credential elements named by XmlConvert.DecodeName and
 *    holding exactly one Username and one password (Password or ClearTextPassword).
 *
 * Run: java -cp '/usr/share/maven/lib/*' test/fuzz/oracles/XmlSettingsOracle.java
 */
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Repository;
import org.apache.maven.settings.RepositoryPolicy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.io.xpp3.SettingsXpp3Reader;
import org.codehaus.plexus.util.ReaderFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

public class XmlSettingsOracle {
  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String line;
    while ((line = in.readLine()) != null) {
      String answer;
      try {
        Map<String, String> request = Json.readFlatObject(line);
        byte[] bytes = Base64.getDecoder().decode(request.get("base64"));
        answer =
            Json.write(
                "maven".equals(request.get("format")) ? Maven.read(bytes) : NuGet.read(bytes));
      } catch (Exception e) {
        Map<String, Object> failed = new LinkedHashMap<>();
        failed.put("oracleError", String.valueOf(e));
        answer = Json.write(failed);
      }
      out.println(answer);
      out.flush();
    }
  }

  /** settings.xml as Maven 3.8 reads it. */
  static final class Maven {
    static Map<String, Object> read(byte[] bytes) {
      Map<String, Object> answer = new LinkedHashMap<>();
      try {
        answer.put("settings", dump(parse(bytes, true)));
        answer.put("strict", true);
      } catch (Exception strict) {
        answer.put("strict", false);
        answer.put("strictError", String.valueOf(strict.getMessage()));
        try {
          answer.put("settings", dump(parse(bytes, false)));
        } catch (Exception lenient) {
          answer.put("settings", null);
          answer.put("error", String.valueOf(lenient.getMessage()));
        }
      }
      return answer;
    }

    static Settings parse(byte[] bytes, boolean strict) throws Exception {
      try (Reader reader = ReaderFactory.newXmlReader(new ByteArrayInputStream(bytes))) {
        return new SettingsXpp3Reader().read(reader, strict);
      }
    }

    static Map<String, Object> dump(Settings s) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("localRepository", s.getLocalRepository());
      m.put("interactiveMode", s.isInteractiveMode());
      m.put("usePluginRegistry", s.isUsePluginRegistry());
      m.put("offline", s.isOffline());
      m.put("pluginGroups", new ArrayList<Object>(s.getPluginGroups()));
      List<Object> servers = new ArrayList<>();
      for (Server server : s.getServers()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", server.getId());
        e.put("username", server.getUsername());
        e.put("password", server.getPassword());
        e.put("privateKey", server.getPrivateKey());
        e.put("passphrase", server.getPassphrase());
        e.put("filePermissions", server.getFilePermissions());
        e.put("directoryPermissions", server.getDirectoryPermissions());
        e.put(
            "configuration",
            server.getConfiguration() == null ? null : server.getConfiguration().toString());
        servers.add(e);
      }
      m.put("servers", servers);
      List<Object> mirrors = new ArrayList<>();
      for (Mirror mirror : s.getMirrors()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", mirror.getId());
        e.put("name", mirror.getName());
        e.put("url", mirror.getUrl());
        e.put("mirrorOf", mirror.getMirrorOf());
        e.put("layout", mirror.getLayout());
        e.put("mirrorOfLayouts", mirror.getMirrorOfLayouts());
        e.put("blocked", mirror.isBlocked());
        mirrors.add(e);
      }
      m.put("mirrors", mirrors);
      List<Object> proxies = new ArrayList<>();
      for (Proxy proxy : s.getProxies()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", proxy.getId());
        e.put("active", proxy.isActive());
        e.put("protocol", proxy.getProtocol());
        e.put("host", proxy.getHost());
        e.put("port", proxy.getPort());
        e.put("username", proxy.getUsername());
        e.put("password", proxy.getPassword());
        e.put("nonProxyHosts", proxy.getNonProxyHosts());
        proxies.add(e);
      }
      m.put("proxies", proxies);
      List<Object> profiles = new ArrayList<>();
      for (Profile profile : s.getProfiles()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", profile.getId());
        e.put("activeByDefault", profile.getActivation() != null && profile.getActivation().isActiveByDefault());
        Properties properties = profile.getProperties();
        Map<String, Object> sorted = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) sorted.put(name, properties.getProperty(name));
        e.put("properties", sorted);
        e.put("repositories", repositories(profile.getRepositories()));
        e.put("pluginRepositories", repositories(profile.getPluginRepositories()));
        profiles.add(e);
      }
      m.put("profiles", profiles);
      m.put("activeProfiles", new ArrayList<Object>(s.getActiveProfiles()));
      return m;
    }

    static List<Object> repositories(List<Repository> list) {
      List<Object> found = new ArrayList<>();
      for (Repository repository : list) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", repository.getId());
        e.put("name", repository.getName());
        e.put("url", repository.getUrl());
        e.put("layout", repository.getLayout());
        e.put("releases", policy(repository.getReleases()));
        e.put("snapshots", policy(repository.getSnapshots()));
        found.add(e);
      }
      return found;
    }

    static Object policy(RepositoryPolicy policy) {
      if (policy == null) return null;
      return policy.isEnabled() + "/" + policy.getUpdatePolicy() + "/" + policy.getChecksumPolicy();
    }
  }

  /** NuGet.Config as NuGet.Configuration reads one file. */
  static final class NuGet {
    static final Pattern ESCAPE = Pattern.compile("_[Xx]([0-9A-Fa-f]{8}|[0-9A-Fa-f]{4})_");

    static Map<String, Object> read(byte[] bytes) {
      Map<String, Object> answer = new LinkedHashMap<>();
      Document document;
      try {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setExpandEntityReferences(true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(
            new ErrorHandler() {
              public void warning(SAXParseException e) {}

              public void error(SAXParseException e) throws SAXParseException {
                throw e;
              }

              public void fatalError(SAXParseException e) throws SAXParseException {
                throw e;
              }
            });
        document = builder.parse(new ByteArrayInputStream(bytes));
      } catch (Exception e) {
        answer.put("error", "not well-formed: " + e.getMessage());
        return answer;
      }
      try {
        Element root = document.getDocumentElement();
        if (!"configuration".equals(local(root)))
          throw new IllegalStateException("the root is <" + local(root) + ">, not <configuration>");
        // The configuration's sections: the first of each name ignoring case counts (no <clear/> here).
        List<Element> sections = items(root, false);
        List<Object> sources = new ArrayList<>();
        List<Object> credentials = new ArrayList<>();
        List<Object> disabled = new ArrayList<>();
        List<Object> others = new ArrayList<>();
        for (Element section : sections) {
          String name = local(section);
          if (name.equals("packageSources")) {
            for (Element item : items(section, true)) {
              if (isClear(item)) {
                sources.add(clearMark());
                continue;
              }
              if (!local(item).equalsIgnoreCase("add")) continue;
              Map<String, Object> source = addItem(item);
              source.put("protocolVersion", attribute(item, "protocolVersion"));
              sources.add(source);
            }
          } else if (name.equals("packageSourceCredentials")) {
            for (Element item : items(section, true)) {
              if (isClear(item)) {
                credentials.add(clearMark());
                continue;
              }
              if (local(item).equalsIgnoreCase("add")) continue;
              credentials.add(credentialsItem(item));
            }
          } else if (name.equals("disabledPackageSources")) {
            for (Element item : items(section, true))
              if (local(item).equalsIgnoreCase("add")) disabled.add(addItem(item));
          } else {
            others.add(canonical(section));
          }
        }
        answer.put("sources", sources);
        answer.put("credentials", credentials);
        answer.put("disabled", disabled);
        answer.put("others", others);
      } catch (Exception e) {
        answer.put("error", "NuGet refuses it: " + e.getMessage());
      }
      return answer;
    }

    static Map<String, Object> clearMark() {
      Map<String, Object> mark = new LinkedHashMap<>();
      mark.put("clear", true);
      return mark;
    }

    static boolean isClear(Element item) {
      return local(item).equalsIgnoreCase("clear");
    }

    static String local(Node node) {
      String name = node.getLocalName();
      return name == null ? node.getNodeName() : name;
    }

    /** SettingFactory.ParseChildren: distinct ignoring case by name and attribute values, <clear/> empties. */
    static List<Element> items(Element parent, boolean canBeCleared) {
      List<Element> children = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
        if (node.getNodeType() != Node.ELEMENT_NODE) continue;
        Element element = (Element) node;
        String identity = identity(element, parent);
        if (seen.contains(identity)) continue;
        seen.add(identity);
        if (canBeCleared && isClear(element)) children.clear();
        children.add(element);
      }
      return children;
    }

    static String identity(Element element, Element parent) {
      boolean credentials = local(parent).equals("packageSourceCredentials")
          && !local(element).equalsIgnoreCase("add") && !isClear(element);
      StringBuilder id = new StringBuilder(credentials ? decodeName(local(element)) : local(element));
      NamedNodeMap attributes = element.getAttributes();
      for (int i = 0; i < attributes.getLength(); i++) id.append(attributes.item(i).getNodeValue());
      return id.toString().toLowerCase(Locale.ROOT);
    }

    static String attribute(Element element, String name) {
      return element.hasAttribute(name) ? element.getAttribute(name) : null;
    }

    static Map<String, Object> addItem(Element item) {
      String key = attribute(item, "key");
      String value = attribute(item, "value");
      if (key == null || value == null)
        throw new IllegalStateException("an <add> without its key or value attribute");
      Map<String, Object> found = new LinkedHashMap<>();
      found.put("key", key);
      found.put("value", value);
      return found;
    }

    static Map<String, Object> credentialsItem(Element element) {
      Map<String, Object> found = new LinkedHashMap<>();
      found.put("name", decodeName(local(element)));
      String username = null;
      String password = null;
      Boolean clearText = null;
      String validAuthenticationTypes = null;
      for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
        if (node.getNodeType() != Node.ELEMENT_NODE || !local(node).equalsIgnoreCase("add")) continue;
        Map<String, Object> add = addItem((Element) node);
        String key = (String) add.get("key");
        String value = (String) add.get("value");
        if (key.equalsIgnoreCase("Username")) {
          if (username != null) throw new IllegalStateException("more than one Username");
          username = value;
        } else if (key.equalsIgnoreCase("Password") || key.equalsIgnoreCase("ClearTextPassword")) {
          if (password != null) throw new IllegalStateException("more than one password");
          password = value;
          clearText = key.equalsIgnoreCase("ClearTextPassword");
        } else if (key.equalsIgnoreCase("ValidAuthenticationTypes")) {
          if (validAuthenticationTypes != null)
            throw new IllegalStateException("more than one ValidAuthenticationTypes");
          validAuthenticationTypes = value;
        }
      }
      if (username == null || password == null)
        throw new IllegalStateException("credentials without a Username or a password");
      found.put("username", username);
      found.put("password", password);
      found.put("clearText", clearText);
      found.put("validAuthenticationTypes", validAuthenticationTypes);
      return found;
    }

    /** XmlConvert.DecodeName: each _xHHHH_ or _xHHHHHHHH_ escape is the character it names. */
    static String decodeName(String name) {
      Matcher m = ESCAPE.matcher(name);
      StringBuilder decoded = new StringBuilder();
      while (m.find())
        m.appendReplacement(
            decoded, Matcher.quoteReplacement(new String(Character.toChars(Integer.parseInt(m.group(1), 16)))));
      m.appendTail(decoded);
      return decoded.toString();
    }

    /** Any other section, element by element: names, attributes and non-blank text. */
    static String canonical(Element element) {
      StringBuilder text = new StringBuilder("<").append(element.getNodeName());
      NamedNodeMap attributes = element.getAttributes();
      TreeMap<String, String> sorted = new TreeMap<>();
      for (int i = 0; i < attributes.getLength(); i++) {
        Attr attribute = (Attr) attributes.item(i);
        sorted.put(attribute.getName(), attribute.getValue());
      }
      for (Map.Entry<String, String> a : sorted.entrySet())
        text.append(' ').append(a.getKey()).append("=").append(Json.quote(a.getValue()));
      text.append('>');
      for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
        if (node.getNodeType() == Node.ELEMENT_NODE) text.append(canonical((Element) node));
        else if ((node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE)
            && !node.getNodeValue().trim().isEmpty()) text.append(Json.quote(node.getNodeValue()));
      }
      return text.append("</>").toString();
    }
  }

  /** Just enough JSON: requests are flat objects of strings; answers are maps, lists, strings, numbers, booleans. */
  static final class Json {
    static Map<String, String> readFlatObject(String text) {
      Map<String, String> found = new LinkedHashMap<>();
      int[] at = {skip(text, 0)};
      expect(text, at, '{');
      at[0] = skip(text, at[0]);
      if (text.charAt(at[0]) == '}') return found;
      for (;;) {
        String key = readString(text, at);
        at[0] = skip(text, at[0]);
        expect(text, at, ':');
        at[0] = skip(text, at[0]);
        found.put(key, readString(text, at));
        at[0] = skip(text, at[0]);
        if (text.charAt(at[0]) == '}') return found;
        expect(text, at, ',');
        at[0] = skip(text, at[0]);
      }
    }

    static int skip(String text, int at) {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
      return at;
    }

    static void expect(String text, int[] at, char c) {
      if (text.charAt(at[0]) != c) throw new IllegalArgumentException("expected " + c + " at " + at[0]);
      at[0]++;
    }

    static String readString(String text, int[] at) {
      expect(text, at, '"');
      StringBuilder s = new StringBuilder();
      for (;;) {
        char c = text.charAt(at[0]++);
        if (c == '"') return s.toString();
        if (c != '\\') {
          s.append(c);
          continue;
        }
        char e = text.charAt(at[0]++);
        switch (e) {
          case 'n': s.append('\n'); break;
          case 'r': s.append('\r'); break;
          case 't': s.append('\t'); break;
          case 'b': s.append('\b'); break;
          case 'f': s.append('\f'); break;
          case 'u':
            s.append((char) Integer.parseInt(text.substring(at[0], at[0] + 4), 16));
            at[0] += 4;
            break;
          default: s.append(e);
        }
      }
    }

    @SuppressWarnings("unchecked")
    static String write(Object value) {
      if (value == null) return "null";
      if (value instanceof String) return quote((String) value);
      if (value instanceof Boolean || value instanceof Number) return String.valueOf(value);
      StringBuilder s = new StringBuilder();
      if (value instanceof Map) {
        s.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
          if (!first) s.append(',');
          first = false;
          s.append(quote(e.getKey())).append(':').append(write(e.getValue()));
        }
        return s.append('}').toString();
      }
      if (value instanceof List) {
        s.append('[');
        boolean first = true;
        for (Object item : (List<Object>) value) {
          if (!first) s.append(',');
          first = false;
          s.append(write(item));
        }
        return s.append(']').toString();
      }
      return quote(String.valueOf(value));
    }

    static String quote(String text) {
      StringBuilder s = new StringBuilder("\"");
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\') s.append('\\').append(c);
        else if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c))
          s.append(String.format("\\u%04x", (int) c));
        else s.append(c);
      }
      return s.append('"').toString();
    }
  }
}
