"""python -m voicecoach"""

from voicecoach.entry import main

main()
