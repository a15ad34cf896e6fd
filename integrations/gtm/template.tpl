___TERMS_OF_SERVICE___

By creating or modifying this file you agree to Google Tag Manager's Community
Template Gallery Developer Terms of Service available at
https://developers.google.com/tag-manager/gallery-tos (or such other URL as
Google may provide), as modified from time to time.


___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "UTM Dispatcher tracker",
  "categories": ["ANALYTICS", "ATTRIBUTION"],
  "brand": {
    "id": "brand_utm_dispatcher",
    "displayName": "UTM Dispatcher"
  },
  "description": "Loads the UTM Dispatcher tracker (t.js) from your UTM Dispatcher: page views with UTM tags and click ids, and, optionally, GA4 e-commerce events from the dataLayer (view_item, add_to_cart, begin_checkout, purchase with transaction_id).",
  "containerContexts": [
    "WEB"
  ]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "TEXT",
    "name": "appUrl",
    "displayName": "UTM Dispatcher URL",
    "simpleValueType": true,
    "help": "The base URL of your UTM Dispatcher, e.g. https://analytics.example. The tag loads https://analytics.example/t.js, which sends to https://analytics.example/api/collect.",
    "valueHint": "https://analytics.example",
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      },
      {
        "type": "REGEX",
        "args": [
          "^https://[^/\\s]+(/[^\\s]*)?$"
        ]
      }
    ],
    "alwaysInSummary": true
  },
  {
    "type": "CHECKBOX",
    "name": "readDataLayer",
    "checkboxText": "Read GA4 e-commerce events from the dataLayer (view_item, add_to_cart, begin_checkout, purchase)",
    "simpleValueType": true,
    "defaultValue": true,
    "help": "Sets window.utmdConfig = {datalayer: true} before loading t.js: the same as data-datalayer on a script tag."
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

// UTM Dispatcher tracker (SPEC 17.3). injectScript cannot set attributes on the script tag, so the
// data-datalayer option is passed as the global window.utmdConfig, which t.js reads too.
const injectScript = require('injectScript');
const setInWindow = require('setInWindow');
const copyFromWindow = require('copyFromWindow');
const createQueue = require('createQueue');
const encodeUri = require('encodeUri');

let base = data.appUrl || '';
while (base.length > 0 && base.charAt(base.length - 1) === '/') {
  base = base.substring(0, base.length - 1);
}
const src = encodeUri(base + '/t.js');

if (data.readDataLayer) {
  // Keep whatever else the page put in utmdConfig; t.js reads utmdConfig.datalayer.
  const config = copyFromWindow('utmdConfig') || {};
  config.datalayer = true;
  setInWindow('utmdConfig', config, true);
  // The dataLayer t.js reads (GTM's default name): make sure it exists.
  createQueue('dataLayer');
}

// The last argument caches the script by URL: the tag firing twice loads t.js once (and t.js
// embedded twice does its work once).
injectScript(src, data.gtmOnSuccess, data.gtmOnFailure, src);


___WEB_PERMISSIONS___

[
  {
    "instance": {
      "key": {
        "publicId": "inject_script",
        "versionId": "1"
      },
      "param": [
        {
          "key": "urls",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "https://*/t.js"
              },
              {
                "type": 1,
                "string": "https://*/*/t.js"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_globals",
        "versionId": "1"
      },
      "param": [
        {
          "key": "keys",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  { "type": 1, "string": "key" },
                  { "type": 1, "string": "read" },
                  { "type": 1, "string": "write" },
                  { "type": 1, "string": "execute" }
                ],
                "mapValue": [
                  { "type": 1, "string": "utmdConfig" },
                  { "type": 8, "boolean": true },
                  { "type": 8, "boolean": true },
                  { "type": 8, "boolean": false }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  { "type": 1, "string": "key" },
                  { "type": 1, "string": "read" },
                  { "type": 1, "string": "write" },
                  { "type": 1, "string": "execute" }
                ],
                "mapValue": [
                  { "type": 1, "string": "dataLayer" },
                  { "type": 8, "boolean": true },
                  { "type": 8, "boolean": true },
                  { "type": 8, "boolean": false }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  }
]


___TESTS___

scenarios:
- name: Loads t.js from the app URL and sets utmdConfig.datalayer
  code: |-
    mock('copyFromWindow', (key) => undefined);
    runCode({appUrl: 'https://analytics.example/', readDataLayer: true});
    assertApi('setInWindow').wasCalledWith('utmdConfig', {datalayer: true}, true);
    assertApi('createQueue').wasCalledWith('dataLayer');
    assertApi('injectScript').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: Without the dataLayer option only the script is loaded
  code: |-
    runCode({appUrl: 'https://analytics.example', readDataLayer: false});
    assertApi('setInWindow').wasNotCalled();
    assertApi('injectScript').wasCalled();


___NOTES___

UTM Dispatcher (integrations/gtm/template.tpl). Import: Templates > Tag Templates > New > menu >
Import. The inject_script permission allows https://*/t.js (and https://*/*/t.js for an app
served under a path); narrow it to your UTM Dispatcher's
host (https://analytics.example/t.js) under Permissions if you like. See README "Tag managers".
