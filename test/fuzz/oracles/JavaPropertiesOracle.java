import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

/**
 * java.util.Properties as Gradle (GUtil.loadProperties: a FileInputStream into Properties.load)
 * and sbt (IO.load: the same) read gradle.properties and ~/.sbt/.credentials: the file's bytes
 * through Properties.load(InputStream), so ISO-8859-1, a byte-order mark included.
 *
 * One request per line, {"base64": "<the file's bytes>"}; one answer per line,
 * {"properties": {"key": "value", ...}} or {"error": "<what load threw>"}. Started once by the
 * fuzz suite (java JavaPropertiesOracle.java) and asked thousands of times.
 */
public class JavaPropertiesOracle {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        String line;
        while ((line = in.readLine()) != null) {
            out.println(answer(line));
            out.flush();
        }
    }

    private static String answer(String request) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(stringField(request, "base64"));
        } catch (RuntimeException e) {
            return "{\"error\":" + quote("bad request: " + e) + "}";
        }
        Properties properties = new Properties();
        try {
            properties.load(new ByteArrayInputStream(bytes));
        } catch (Exception e) {
            return "{\"error\":" + quote(e.getClass().getName() + ": " + e.getMessage()) + "}";
        }
        StringBuilder json = new StringBuilder("{\"properties\":{");
        boolean first = true;
        for (Map.Entry<Object, Object> entry : properties.entrySet()) {
            if (!first) json.append(',');
            first = false;
            json.append(quote((String) entry.getKey())).append(':').append(quote((String) entry.getValue()));
        }
        return json.append("}}").toString();
    }

    /** The value of a string field whose text needs no JSON unescaping (base64 has no quote or backslash). */
    private static String stringField(String json, String name) {
        String marker = "\"" + name + "\":\"";
        int start = json.indexOf(marker);
        if (start < 0) throw new IllegalArgumentException("no field " + name);
        start += marker.length();
        int end = json.indexOf('"', start);
        if (end < 0) throw new IllegalArgumentException("field " + name + " never ends");
        return json.substring(start, end);
    }

    /** A JSON string in ASCII: every character outside printable ASCII as \\uXXXX (surrogates kept as they are). */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c >= 0x20 && c < 0x7f) out.append(c);
            else out.append(String.format("\\u%04x", (int) c));
        }
        return out.append('"').toString();
    }
}
