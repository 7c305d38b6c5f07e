package io.skeletonssl.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * I/O errors while writing, reworded to say what was being written and where, e.g.
 * {@code writing checkpoint of epoch 3 to RUN/checkpoint-3/params/0001-w.npy: No space left on device}.
 * Paths inside a hidden temporary folder are shown under the folder the user asked for
 * ({@link AtomicDirectory#shown}); the original exception is kept as the cause.
 */
public final class WriteFailure {

    private WriteFailure() {
    }

    /** {@code writing WHAT to FILE: REASON}; {@code what} may be null ({@code writing FILE: REASON}). */
    public static IOException writing(String what, Path file, IOException cause) {
        return new IOException(message(what, file, cause), cause);
    }

    /** The message of {@link #writing}, for callers with their own exception type. */
    public static String message(String what, Path file, Throwable cause) {
        Path shown = AtomicDirectory.shown(file);
        return "writing " + (what == null ? shown : what + " to " + shown) + ": " + reason(cause);
    }

    /**
     * The operating system's reason at the bottom of a chain of I/O exceptions (e.g. {@code No space
     * left on device}), without the path that the lower layers put in their messages.
     */
    public static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() instanceof IOException next && next != t) {
            t = next;
        }
        if (t instanceof FileSystemException fse) {
            if (fse.getReason() != null && !fse.getReason().isBlank()) {
                return fse.getReason();
            }
            if (fse instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (fse instanceof NoSuchFileException) {
                return "no such file or folder";
            }
            if (fse instanceof FileAlreadyExistsException) {
                return "already exists";
            }
            if (fse instanceof NotDirectoryException) {
                return "not a folder";
            }
            if (fse instanceof DirectoryNotEmptyException) {
                return "folder not empty";
            }
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
