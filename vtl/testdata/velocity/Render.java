// Render is the reference renderer for vtl's differential test: Apache
// Velocity 1.7 with a thin $input, $util and $context layer written from the
// API Gateway mapping-template reference, on Commons Lang 2 and Jayway
// JsonPath, as API Gateway uses them.
//
// It reads one JSON case per line on stdin:
//   {"t": TEMPLATE, "body": "...", "path": {...}, "query": {...}, "header": {...}, "context": {...}}
// and writes one JSON line per case: {"out": TEXT} or {"error": MESSAGE}.
//
// Where API Gateway is reported to differ from stock Velocity, this layer
// follows the reports: a null reference renders empty (a reference
// insertion handler), as vtl's default variant does.
import java.io.*;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.*;

import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import net.minidev.json.JSONStyle;
import net.minidev.json.JSONValue;
import org.apache.commons.lang.StringEscapeUtils;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.Velocity;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;

public class Render {
    public static class Input {
        private final String body;
        private final Map<String, Object> params;
        Input(String body, Map<String, Object> params) { this.body = body; this.params = params; }
        public String getBody() { return body; }
        public Map<String, Object> params() { return params; }
        @SuppressWarnings("unchecked")
        public String params(String name) {
            for (String where : new String[]{"path", "querystring", "header"}) {
                Map<String, Object> m = (Map<String, Object>) params.get(where);
                if (m.containsKey(name)) return String.valueOf(m.get(name));
            }
            return "";
        }
        private Object doc() {
            String b = body == null || body.isEmpty() ? "{}" : body;
            return JsonPath.parse(b).json();
        }
        public String json(String path) {
            try {
                Object v = JsonPath.read(doc(), path);
                return JSONValue.toJSONString(v, JSONStyle.LT_COMPRESS);
            } catch (PathNotFoundException e) {
                return "";
            }
        }
        public Object path(String path) {
            try {
                return JsonPath.read(doc(), path);
            } catch (PathNotFoundException e) {
                return null;
            }
        }
    }

    public static class Util {
        public String escapeJavaScript(String s) { return StringEscapeUtils.escapeJavaScript(s); }
        public Object parseJson(String s) { return JSONValue.parse(s); }
        public String urlEncode(String s) throws Exception { return URLEncoder.encode(s, "UTF-8"); }
        public String urlDecode(String s) throws Exception { return URLDecoder.decode(s, "UTF-8"); }
        public String base64Encode(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }
        public String base64Decode(String s) { return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8); }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> c, String key) {
        Object v = c.get(key);
        return v instanceof Map ? new HashMap<>((Map<String, Object>) v) : new HashMap<>();
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
        Velocity.init(p);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            Map<String, Object> c = (Map<String, Object>) JSONValue.parse(line);
            Map<String, Object> res = new LinkedHashMap<>();
            try {
                Map<String, Object> params = new HashMap<>();
                params.put("path", obj(c, "path"));
                params.put("querystring", obj(c, "query"));
                params.put("header", obj(c, "header"));
                VelocityContext ctx = new VelocityContext();
                ctx.put("input", new Input((String) c.getOrDefault("body", ""), params));
                ctx.put("util", new Util());
                Map<String, Object> context = obj(c, "context");
                context.put("responseOverride", new HashMap<String, Object>());
                ctx.put("context", context);
                ctx.put("stageVariables", new HashMap<String, Object>());
                EventCartridge ec = new EventCartridge();
                ec.addEventHandler(new ReferenceInsertionEventHandler() {
                    public Object referenceInsert(String reference, Object value) { return value == null ? "" : value; }
                });
                ec.attachToContext(ctx);
                StringWriter w = new StringWriter();
                Velocity.evaluate(ctx, w, "template", (String) c.get("t"));
                res.put("out", w.toString());
            } catch (Throwable e) {
                res.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            out.println(JSONValue.toJSONString(res, JSONStyle.NO_COMPRESS));
        }
    }
}
