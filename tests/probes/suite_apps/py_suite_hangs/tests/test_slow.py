import time
import unittest


class SlowTests(unittest.TestCase):
    def test_waits_forever(self) -> None:
        time.sleep(3600)
