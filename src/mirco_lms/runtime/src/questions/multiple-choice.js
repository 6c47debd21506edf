/* questions/multiple-choice.js: multiple choice; some right options earn "partly correct". */

registerQuestionType("multiple-choice", extendType(CHOICE_TYPE, { partialCredit: true }));
