package io.windrose.localcluster;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where a service's program is: where Debian's package puts it, else the first on PATH (Homebrew, /usr/local, ...). */
final class Executables {
    private Executables() {}

    static String find(String name, String debianPath) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/sbin", "/opt/homebrew/bin"));
        if (Files.isExecutable(Path.of(debianPath))) {
            return debianPath;
        }
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new IllegalStateException(name + " not found (not at " + debianPath + ", nor on PATH): local-cluster/install"
                + " installs it on Debian and Ubuntu; elsewhere install it yourself");
    }
}
