// Runs first in <body>: lets GOV.UK Frontend style its enhanced components. Pages work without it.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
