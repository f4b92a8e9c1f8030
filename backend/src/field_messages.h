/* field_messages.h — the one catalogue of field error codes and their Russian messages.
 *
 * A field error is {field, code, message}. Where a code has one general meaning its
 * message is written once, here, as FM_<CODE>; SQL reads the same catalogue from
 * app.field_messages() (sql/functions/shared.sql), and tests/api/field-messages.test.mjs
 * checks that the two list the same codes with the same text. Messages that say more
 * than the code (which date, which organisation, the allowed values) stay where they
 * are raised. One entry per line: `#define FM_<CODE> "<message>"`, the code in capitals. */
#ifndef ORIENTIR_FIELD_MESSAGES_H
#define ORIENTIR_FIELD_MESSAGES_H

#define FM_REQUIRED "Обязательное поле"
#define FM_UNKNOWN "Неизвестное поле"
#define FM_INVALID_DATE "Ожидается существующая дата в формате ГГГГ-ММ-ДД"
#define FM_INVALID_UTF8 "Текст содержит недопустимые байты (не UTF-8)"
#define FM_INVALID_CHAR "Текст содержит недопустимый символ \\u0000"
#define FM_TOO_DEEP "Слишком глубокая вложенность JSON"

#endif
