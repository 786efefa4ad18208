// The second peer of bench/symbol-recall for TypeScript, TSX and JavaScript: the TypeScript
// compiler's own parser lists the definitions that the comparison counts, by the rules of
// bench/README.md: functions, methods, constructors and accessors with a body; arrow
// functions and function expressions assigned to a variable, a property or a class field
// (named after it); classes and interfaces. Nothing inside a named function's body is
// listed (CodeWorm folds it into the function), nor overload signatures, abstract or
// interface methods, or anonymous callbacks, whose bodies are read through as CodeWorm
// reads them.
//   node bench/ts-defs.js < list-of-files    (paths relative to the current folder)
// $CODEWORM_TYPESCRIPT names the typescript package folder (bench/setup installs one).
// Prints one TSV line per definition: path, line of the name, kind, name.
'use strict';

const fs = require('fs');
const path = require('path');
const ts = require(process.env.CODEWORM_TYPESCRIPT || 'typescript');

const scriptKinds = {
    '.ts': ts.ScriptKind.TS, '.mts': ts.ScriptKind.TS, '.cts': ts.ScriptKind.TS,
    '.tsx': ts.ScriptKind.TSX, '.jsx': ts.ScriptKind.JSX,
    '.js': ts.ScriptKind.JS, '.mjs': ts.ScriptKind.JS, '.cjs': ts.ScriptKind.JS,
};

// The function a value is, through parentheses, `as`/`satisfies` casts and `!`.
function functionValue(node) {
    while (node && (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) ||
                    ts.isNonNullExpression(node) ||
                    (ts.isSatisfiesExpression && ts.isSatisfiesExpression(node)))) {
        node = node.expression;
    }
    return node && (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) ? node : null;
}

function nameText(name, file) {
    if (!name) {
        return '';
    }
    if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) ||
        ts.isNumericLiteral(name)) {
        return name.text;
    }
    return name.getText(file);
}

function list(relative, out) {
    const text = fs.readFileSync(relative, 'utf8');
    const kind = scriptKinds[path.extname(relative)] || ts.ScriptKind.TS;
    const file = ts.createSourceFile(relative, text, ts.ScriptTarget.Latest, true, kind);
    const emit = (nameNode, what, name) => {
        if (!name) {
            return;
        }
        const line = file.getLineAndCharacterOfPosition(nameNode.getStart(file)).line + 1;
        out.push(`${relative}\t${line}\t${what}\t${name}`);
    };
    const visit = (node) => {
        // Named function-like definitions with a body; their bodies are not visited.
        if (ts.isFunctionDeclaration(node)) {
            if (node.body && node.name) {
                emit(node.name, 'function', node.name.text);
            }
            return;
        }
        if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) ||
            ts.isSetAccessorDeclaration(node)) {
            if (node.body) {
                emit(node.name, 'method', nameText(node.name, file));
            }
            return;
        }
        if (ts.isConstructorDeclaration(node)) {
            if (node.body) {
                emit(node.getFirstToken(file), 'method', 'constructor');
            }
            return;
        }
        if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
            // Not assigned (assigned ones are handled by their owner): a callback or an
            // immediately invoked function, no target itself; what it defines is read, as
            // CodeWorm reads it (a module pattern's functions, a component's handlers).
            ts.forEachChild(node, visit);
            return;
        }
        // Values assigned a function take the name they are assigned to.
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) &&
            functionValue(node.initializer)) {
            emit(node.name, 'function', node.name.text);
            return;
        }
        if ((ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) &&
            functionValue(node.initializer)) {
            emit(node.name, 'method', nameText(node.name, file));
            return;
        }
        if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            functionValue(node.right)) {
            const left = node.left;
            if (ts.isIdentifier(left)) {
                emit(left, 'function', left.text);
            } else if (ts.isPropertyAccessExpression(left)) {
                emit(left.name, 'method', left.name.text);
            }
            return;
        }
        if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
            if (node.name) {
                emit(node.name, 'class', node.name.text);
            }
        } else if (ts.isInterfaceDeclaration(node)) {
            emit(node.name, 'interface', node.name.text);
        }
        ts.forEachChild(node, visit);
    };
    visit(file);
}

const out = [];
const paths = fs.readFileSync(0, 'utf8').split('\n').map((p) => p.trim()).filter(Boolean);
for (const relative of paths) {
    try {
        list(relative, out);
    } catch (error) {
        process.stderr.write(`ts-defs: ${relative}: ${error.message}\n`);
    }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
