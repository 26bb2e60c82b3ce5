"""Unit tests of lifeboat-pr.py's pure parts (run by tests/action.rs)."""
import importlib.util
import os
import unittest

spec = importlib.util.spec_from_file_location(
    "lifeboat_pr", os.path.join(os.path.dirname(__file__), "lifeboat-pr.py")
)
pr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pr)


class Truncate(unittest.TestCase):
    def test_short_bodies_are_kept(self):
        self.assertEqual(pr.truncate("abc\n", 10, "NOTE"), "abc\n")

    def test_cut_at_a_line_within_the_limit(self):
        body = "".join(f"line {i}\n" for i in range(1000))
        out = pr.truncate(body, 500, "NOTE")
        self.assertLessEqual(len(out), 500)
        self.assertTrue(out.endswith("\nNOTE"))
        kept = out[: -len("\nNOTE")]
        self.assertTrue(body.startswith(kept))
        self.assertTrue(kept.endswith("\n"))

    def test_an_open_code_fence_is_closed(self):
        body = "intro\n```mermaid\n" + "a --> b\n" * 500 + "```\nafter\n"
        out = pr.truncate(body, 300, "NOTE")
        self.assertLessEqual(len(out), 300)
        fences = [line for line in out.splitlines() if line.startswith("```")]
        self.assertEqual(len(fences) % 2, 0, out)

    def test_characters_not_bytes(self):
        body = "✅ met\n" * 10000
        out = pr.truncate(body, 65536, "NOTE")
        self.assertLessEqual(len(out), 65536)
        self.assertGreater(len(out.encode()), 65536)


class FindComment(unittest.TestCase):
    def test_the_marker_must_start_the_comment(self):
        mark = pr.marker(["dr/inventory"])
        comments = [
            {"id": 1, "body": "unrelated"},
            {"id": 2, "body": "> quoting\n" + mark},
            {"id": 3, "body": mark + "\nreport"},
            {"id": 4, "body": None},
        ]
        self.assertEqual(pr.find_comment(comments, mark), 3)
        self.assertIsNone(pr.find_comment(comments, pr.marker(["other"])))


if __name__ == "__main__":
    unittest.main()
