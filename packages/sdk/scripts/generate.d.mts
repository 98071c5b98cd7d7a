/** Types of scripts/generate.mjs, for the test that checks the generated file is current. */
export declare const OUTPUT: string;
export declare function generate(): Promise<string>;
