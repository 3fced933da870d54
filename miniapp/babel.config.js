// babel-preset-taro compiles React + TypeScript for both targets.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
