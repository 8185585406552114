package io.windrose.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every relative link in README.md, docs/ and deploy/ leads to a file (and heading) that exists. */
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

    @Test
    void aMissingFileOrHeadingIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path page = Files.writeString(dir.resolve("page.md"), "# Title\n\n## Two words\n\nSee [a](other.md), [b](#two-words),"
                + " [c](#nothing), `[d](inline.md)` and [e](https://example.com).\n```bash\n[f](fenced.md)\n```\n");
        assertThat(UserDocs.links(page)).extracting(UserDocs.Link::target)
                .containsExactly("other.md", "#two-words", "#nothing");
        assertThat(UserDocs.anchors(page)).containsExactly("title", "two-words");
    }
}
