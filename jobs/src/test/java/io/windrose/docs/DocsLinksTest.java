package io.windrose.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every relative link in README.md, docs/ and deploy/ leads to a file (and heading) that exists, every test named exists. */
class DocsLinksTest {
    @Test
    void everyRelativeLinkResolves() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : UserDocs.files()) {
            for (UserDocs.Link link : UserDocs.links(file)) {
                checked++;
                String target = link.target();
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(link.where() + ": " + target + " (no such file " + UserDocs.ROOT.relativize(resolved) + ")");
                } else if (anchor != null && resolved.toString().endsWith(".md")
                        && !UserDocs.anchors(resolved).contains(anchor)) {
                    broken.add(link.where() + ": " + target + " (no heading #" + anchor + " in "
                            + UserDocs.ROOT.relativize(resolved) + ")");
                }
            }
        }
        assertThat(checked).as("relative links found").isPositive();
        assertThat(broken).as("broken relative links").isEmpty();
    }

    /** "Proven by FooITCase": every test a page names is a test class of the repository. */
    @Test
    void everyTestTheDocsNameExists() throws IOException {
        Set<String> tests;
        try (Stream<Path> walk = Files.walk(UserDocs.ROOT)) {
            tests = walk.filter(p -> p.toString().contains("/src/test/java/") && p.toString().endsWith(".java"))
                    .map(p -> p.getFileName().toString().replace(".java", "")).collect(Collectors.toSet());
        }
        Pattern named = Pattern.compile("\\b([A-Z][A-Za-z0-9]*(?:Test|ITCase))\\b");
        List<String> missing = new ArrayList<>();
        int found = 0;
        for (Path file : UserDocs.files()) {
            List<String> lines = UserDocs.lines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = named.matcher(lines.get(i));
                while (m.find()) {
                    found++;
                    if (!tests.contains(m.group(1))) {
                        missing.add(UserDocs.ROOT.relativize(file) + ":" + (i + 1) + ": " + m.group(1));
                    }
                }
            }
        }
        assertThat(found).as("tests named in the docs").isGreaterThan(20);
        assertThat(missing).as("tests the docs name that do not exist").isEmpty();
    }

    @Test
    void aMissingFileOrHeadingIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path page = Files.writeString(dir.resolve("page.md"), "# Title\n\n## Two words\n\nSee [a](other.md), [b](#two-words),"
                + " [c](#nothing), `[d](inline.md)` and [e](https://example.com).\n```bash\n[f](fenced.md)\n```\n");
        assertThat(UserDocs.links(page)).extracting(UserDocs.Link::target)
                .containsExactly("other.md", "#two-words", "#nothing");
        assertThat(UserDocs.anchors(page)).containsExactly("title", "two-words");
    }
}
