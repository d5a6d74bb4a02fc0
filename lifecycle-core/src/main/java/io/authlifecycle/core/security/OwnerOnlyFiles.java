package io.authlifecycle.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Secrets on disk (keys, passwords, tokens) readable and writable by their owner only: created
 * with those permissions from the start, so no other user ever sees a readable file.
 */
public final class OwnerOnlyFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /** Writes a new file; never over an existing one (a FileAlreadyExistsException): a lost key cannot be recovered. */
  public static void writeNew(Path file, String text) throws IOException {
    createParent(file);
    create(file);
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Replaces the file's content; the new content is in a fresh owner-only file moved into place. */
  public static void write(Path file, String text) throws IOException {
    createParent(file);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    create(tmp);
    Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether the file is readable by its owner only (true where the file system has no POSIX permissions). */
  public static boolean isOwnerOnly(Path file) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      return OWNER_ONLY.containsAll(perms);
    } catch (UnsupportedOperationException e) {
      return true;
    }
  }

  private static void create(Path file) throws IOException {
    FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    try {
      Files.createFile(file, attribute);
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
