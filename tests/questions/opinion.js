/* opinion.js: the opinion type of tests/questions/yes_no.py, read as a yes/no answer. */

registerQuestionType("opinion", questionType("yes-no"));
