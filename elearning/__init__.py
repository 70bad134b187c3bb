"""E-learning: packages, launches, the authored lesson player, quizzes, progress."""
