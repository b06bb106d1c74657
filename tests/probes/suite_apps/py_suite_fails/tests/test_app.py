"""unittest-style: one test reaches the running app over its PORT, one catches a bug."""

import json
import os
import unittest
import urllib.request

from app import add


class AppTests(unittest.TestCase):
    def test_health_answers_on_the_apps_port(self) -> None:
        url = f"http://127.0.0.1:{os.environ['PORT']}/health"
        with urllib.request.urlopen(url, timeout=5) as resp:
            self.assertEqual(json.load(resp)["status"], "ok")

    def test_add_adds(self) -> None:
        self.assertEqual(add(2, 2), 4)


if __name__ == "__main__":
    unittest.main()
