import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles several independent source sets in one JVM (one javac launch per set costs seconds).
 * Usage: java CompileAll.java MANIFEST; each manifest line is "outdir TAB classpath TAB source...".
 * Each set's exit code and messages go to outdir.exit and outdir.log.
 */
public class CompileAll {
    public static void main(String[] args) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t");
            List<String> options = new ArrayList<>(List.of("-d", parts[0], "--release", "17"));
            if (!parts[1].isEmpty()) {
                options.addAll(List.of("-cp", parts[1]));
            }
            options.addAll(Arrays.asList(parts).subList(2, parts.length));
            ByteArrayOutputStream messages = new ByteArrayOutputStream();
            PrintStream stream = new PrintStream(messages, true, StandardCharsets.UTF_8);
            int exit = javac.run(null, stream, stream, options.toArray(new String[0]));
            Files.writeString(Path.of(parts[0] + ".exit"), Integer.toString(exit));
            Files.writeString(Path.of(parts[0] + ".log"), messages.toString(StandardCharsets.UTF_8));
        }
    }
}
