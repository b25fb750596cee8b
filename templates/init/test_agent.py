"""Runs with `python -m unittest` (no extra packages needed)."""

import asyncio
import unittest

from agent import invoke


class InvokeTest(unittest.TestCase):
    def test_streams_the_prompt_back_word_by_word(self):
        async def collect():
            return [chunk async for chunk in invoke({"prompt": "hello agent core"}, None)]

        chunks = asyncio.run(collect())
        self.assertEqual("".join(chunks), "hello agent core")
        self.assertEqual(len(chunks), 3)


if __name__ == "__main__":
    unittest.main()
