// The second peer of bench/symbol-recall for Java: javac's own parser (the compiler tree
// API, parse only) lists the definitions that the comparison counts, by the rules of
// bench/README.md: classes, interfaces, enums and records, and methods and constructors
// with a body; nothing inside a method body, an initializer block or an anonymous class
// (CodeWorm folds those into their function). Run with the JDK's source launcher:
//   java bench/JavaDefs.java < list-of-files     (paths relative to the current folder)
// Prints one TSV line per definition: path, line, kind, name ("class", "interface",
// "enum", "record", "method"; a constructor is a method named after its class).

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

public class JavaDefs {
    public static void main(String[] args) throws Exception {
        List<String> paths = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    paths.add(line.strip());
                }
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
        try (StandardJavaFileManager files = compiler.getStandardFileManager(
                null, Locale.ROOT, StandardCharsets.UTF_8)) {
            // One file per task: a parse error in one file cannot hide another's definitions.
            for (String path : paths) {
                DiagnosticCollector<JavaFileObject> quiet = new DiagnosticCollector<>();
                JavacTask task = (JavacTask) compiler.getTask(null, files, quiet,
                        List.of("-proc:none"), null, files.getJavaFileObjects(path));
                Trees trees = Trees.instance(task);
                for (CompilationUnitTree unit : task.parse()) {
                    list(path, unit, trees.getSourcePositions(), out);
                }
            }
        }
        out.flush();
    }

    static void list(String path, CompilationUnitTree unit, SourcePositions positions,
                     PrintWriter out) {
        LineMap lines = unit.getLineMap();
        new TreeScanner<Void, String>() {
            @Override
            public Void visitClass(ClassTree node, String owner) {
                String name = node.getSimpleName().toString();
                if (name.isEmpty()) {
                    return null; // anonymous class
                }
                String kind = switch (node.getKind()) {
                    case INTERFACE -> "interface";
                    case ENUM -> "enum";
                    case RECORD -> "record";
                    case ANNOTATION_TYPE -> "annotation";
                    default -> "class";
                };
                print(node, kind, name);
                for (Tree member : node.getMembers()) {
                    if (member instanceof ClassTree || member instanceof MethodTree) {
                        scan(member, name);
                    }
                }
                return null;
            }

            @Override
            public Void visitMethod(MethodTree node, String owner) {
                if (node.getBody() != null) {
                    String name = node.getName().toString();
                    print(node, "method", name.equals("<init>") ? owner : name);
                }
                return null; // nothing inside a body is compared
            }

            void print(Tree node, String kind, String name) {
                long start = positions.getStartPosition(unit, node);
                out.println(path + "\t" + lines.getLineNumber(start) + "\t" + kind + "\t" + name);
            }
        }.scan(unit, "");
    }
}
