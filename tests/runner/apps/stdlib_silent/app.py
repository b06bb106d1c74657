"""Starts, prints, never opens a port."""

import time

if __name__ == "__main__":
    print("warming up forever", flush=True)
    while True:
        time.sleep(1)
