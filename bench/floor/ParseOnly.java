import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The floor meshlint is measured against: a fresh JVM that only parses the files into Jackson trees. */
public class ParseOnly {
  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of(args[0]))) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).toList();
    }
    long docs = files.parallelStream().mapToLong(f -> {
      long n = 0;
      try (YAMLParser parser = (YAMLParser) mapper.getFactory().createParser(f.toFile())) {
        for (var it = mapper.readValues(parser, JsonNode.class); it.hasNext(); it.next()) {
          n++;
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
      return n;
    }).sum();
    System.out.println(docs + " documents");
  }
}
