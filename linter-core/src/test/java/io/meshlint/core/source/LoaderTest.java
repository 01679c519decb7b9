package io.meshlint.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderTest {
  /** A ConfigMap volume: each key is a link into a hidden timestamped directory holding the file. */
  @Test
  void readsEachFileOfAConfigMapVolumeOnce(@TempDir Path volume) throws Exception {
    Path data = Files.createDirectories(volume.resolve("..2026_11_24_10_00_00.123"));
    Files.writeString(data.resolve("state.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n");
    Files.createSymbolicLink(volume.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(volume.resolve("state.yaml"), Path.of("..data/state.yaml"));
    List<Path> files = Loader.expand(List.of(volume.toString()));
    assertEquals(1, files.size(), files.toString());
  }

  /** A file named twice, once under a directory reached through a link, is read once. */
  @Test
  void readsAFileNamedThroughALinkedDirectoryOnce(@TempDir Path dir) throws Exception {
    Path real = Files.createDirectories(dir.resolve("real/sub"));
    Path manifest = Files.writeString(real.resolve("ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n");
    Path alias = Files.createSymbolicLink(dir.resolve("alias"), Path.of("real"));
    List<Path> files = Loader.expand(List.of(alias.resolve("sub").toString(), manifest.toString()));
    assertEquals(List.of(alias.resolve("sub/ns.yaml")), files);
  }

  /** A directory named through a link is listed, its files named under the link as given. */
  @Test
  void listsADirectoryNamedThroughALink(@TempDir Path dir) throws Exception {
    Path real = Files.createDirectories(dir.resolve("real/sub"));
    Files.writeString(real.resolve("ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n");
    Path alias = Files.createSymbolicLink(dir.resolve("alias"), Path.of("real"));
    assertEquals(List.of(alias.resolve("sub/ns.yaml")), Loader.expand(List.of(alias.toString())));
  }

  @Test
  void aDirectoryIsReadWithoutItsProjectConfig(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".meshlint.yaml"), "rules: {IST0102: off}\n");
    Path manifest = Files.writeString(dir.resolve("ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n");
    assertEquals(List.of(manifest), Loader.expand(List.of(dir.toString())));
  }
}
